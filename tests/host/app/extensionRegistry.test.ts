import { buildRegistry, linksAt } from './extensionRegistry';

const ID = 'kici-ops-app';
const POINT = 'grafana/dashboard/panel/menu';
const declared = [{ title: 'Open', description: 'd', targets: [POINT] }];

describe('host extension registry', () => {
  it('registers declared links and refuses undeclared ones or foreign paths', () => {
    const r = buildRegistry(
      ID,
      [
        { title: 'Open', description: 'd', targets: [POINT], path: `/a/${ID}/dlq` },
        { title: 'Other', description: 'd', targets: [POINT], path: `/a/${ID}/dlq` },
        { title: 'Open', description: 'd', targets: [POINT], path: '/explore' },
      ],
      declared
    );
    expect(r.links).toHaveLength(1);
    expect(r.refused).toEqual([
      'Other: not declared in plugin.json extensions.addedLinks',
      `Open: path must start with /a/${ID}/`,
    ]);
  });

  it('hides a link whose configure returns undefined, applies overrides, hands a read-only context', () => {
    let frozen = false;
    const r = buildRegistry(
      ID,
      [
        {
          title: 'Open',
          description: 'd',
          targets: [POINT],
          path: `/a/${ID}/overview`,
          configure: (c?: object) => {
            frozen = Object.isFrozen(c) && Object.isFrozen((c as { dashboard: object }).dashboard);
            return (c as { show: boolean }).show ? { path: `/a/${ID}/dlq`, title: 'Open DLQ' } : undefined;
          },
        },
      ],
      declared
    );
    expect(linksAt(ID, r, POINT, { show: false, dashboard: {} })).toEqual([]);
    expect(linksAt(ID, r, POINT, { show: true, dashboard: {} })).toEqual([
      {
        id: `${ID}/${POINT}/0`,
        title: 'Open DLQ',
        description: 'd',
        path: `/a/${ID}/dlq`,
        icon: undefined,
        category: undefined,
      },
    ]);
    expect(frozen).toBe(true);
  });
});

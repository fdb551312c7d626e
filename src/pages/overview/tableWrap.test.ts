// The Overview's long text columns wrap in real Grafana at both ends of the declared range. The rules, read from
// Grafana's table (see tableWrap.ts):
// - 12.x: @grafana/ui 12.4.2 dist/esm/components/Table/TableNG/utils.mjs `shouldTextWrap`: field.config.custom.wrapText.
// - 11.6: @grafana/ui 11.6.0 dist/esm/components/Table/Table.mjs: `textWrapField` is the last field whose override
//   has a `custom.cellOptions` property with `wrapText`; RowsList.mjs then wraps every cell and sizes rows on it.
// - grafana/grafana public/app/plugins/panel/table/migrations.ts `migrateTextWrapToFieldLevel` (12.x): an override's
//   `custom.cellOptions.wrapText` becomes `custom.wrapText` unless the defaults already set `custom.wrapText`.
import type { FieldConfigSource } from '@grafana/data';
import type { VizPanel } from '@grafana/scenes';

import { healthMatrixTable, healthMatrixData } from './healthMatrix';
import { clusterStatusPanel, orphanedConnectionsPanel } from './statusPanels';

const ds = { uid: 'kici', type: 'kici-ops-datasource' };

function props(panel: VizPanel, field: string) {
  const fc = panel.state.fieldConfig as FieldConfigSource;
  return fc.overrides
    .filter((o) => o.matcher.id === 'byName' && o.matcher.options === field)
    .flatMap((o) => o.properties);
}

/** 12.x: the value a field ends with for `custom.<key>` (later override properties win, as Grafana applies them). */
function custom(panel: VizPanel, field: string, key: string): unknown {
  const hit = props(panel, field).filter((p) => p.id === `custom.${key}`);
  return hit.length ? hit[hit.length - 1].value : undefined;
}

/** 11.6 Table.mjs: the field whose text sizes the rows (the last with an override cellOptions.wrapText). */
function textWrapField11(panel: VizPanel, fieldOrder: string[]): string | undefined {
  let found: string | undefined;
  for (const f of fieldOrder) {
    if (props(panel, f).some((p) => p.id === 'custom.cellOptions' && p.value?.wrapText)) {
      found = f;
    }
  }
  return found;
}

/** 12.x migrations.ts: what migrateTextWrapToFieldLevel leaves for a field. */
function migrated12(panel: VizPanel, field: string): unknown {
  const fc = panel.state.fieldConfig as FieldConfigSource;
  if (fc.defaults.custom?.wrapText !== undefined) {
    return custom(panel, field, 'wrapText');
  }
  const out = props(panel, field).flatMap((p) =>
    p.id === 'custom.cellOptions' && p.value?.wrapText !== undefined
      ? [p, { id: 'custom.wrapText', value: p.value.wrapText }]
      : [p]
  );
  const w = out.filter((p) => p.id === 'custom.wrapText');
  return w.length ? w[w.length - 1].value : undefined;
}

const TABLES: Array<{ name: string; panel: () => VizPanel; order: string[]; wrapped: string[]; sizesRows: string }> = [
  {
    name: 'Cluster status',
    panel: clusterStatusPanel,
    order: ['instance', 'target', 'status', 'message', 'hint', 'last_success'],
    wrapped: ['message', 'hint'],
    sizesRows: 'message',
  },
  {
    name: 'Health',
    panel: () => healthMatrixTable(healthMatrixData()),
    order: ['component', 'target', 'instance', 'status', 'latency_ms', 'message', 'hint', 'last_success'],
    wrapped: ['message', 'hint'],
    sizesRows: 'message',
  },
  {
    name: 'Orphaned connections',
    panel: () => orphanedConnectionsPanel(ds),
    order: ['label', 'source', 'count', 'status', 'message', 'rule'],
    wrapped: ['message', 'rule'],
    sizesRows: 'rule',
  },
];

describe.each(TABLES)(
  '$name: long text columns wrap on Grafana 11.6 and 12.x',
  ({ panel, order, wrapped, sizesRows }) => {
    it('12.x: custom.wrapText and the cell inspector on every long column, also after the 12.x migration', () => {
      const p = panel();
      for (const f of wrapped) {
        expect([f, custom(p, f, 'wrapText'), custom(p, f, 'inspect'), migrated12(p, f)]).toEqual([f, true, true, true]);
      }
    });

    it('11.6: wrapping is on, and the rows are sized on the longest column', () => {
      expect(textWrapField11(panel(), order)).toBe(sizesRows);
    });
  }
);

it('a column without the 11.6 cell option does not turn wrapping on there (the check can fail)', () => {
  const p = clusterStatusPanel();
  (p.state.fieldConfig as FieldConfigSource).overrides.forEach((o) => {
    o.properties = o.properties.filter((x) => x.id !== 'custom.cellOptions' || x.value?.type !== 'auto');
  });
  expect(textWrapField11(p, ['message', 'hint'])).toBeUndefined();
});

import { CoreApp, type DataSourceInstanceSettings, type ScopedVars } from '@grafana/data';
import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';

import { DataSource, interpolateQuery } from './datasource';
import type { KiciQuery } from './query';
import type { KiciJsonData } from './types';

const instanceSettings = {
  id: 1,
  uid: 'kici',
  type: 'kici-ops-datasource',
  name: 'KiCI',
  access: 'proxy',
  jsonData: {},
  meta: { id: 'kici-ops-datasource' },
  readOnly: false,
} as unknown as DataSourceInstanceSettings<KiciJsonData>;

describe('DataSource', () => {
  const ds = new DataSource(instanceSettings);

  it('defaults new queries to the health matrix', () => {
    expect(ds.getDefaultQuery(CoreApp.PanelEditor)).toEqual({ queryType: 'health' });
  });

  it('filters out hidden queries only', () => {
    expect(ds.filterQuery({ refId: 'A', queryType: 'dlqDepth', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'dlqDepth', hide: false })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'dlqDepth' })).toBe(true);
  });

  it('interpolates template variables through the template service', () => {
    const vars: Record<string, string> = { $source: 'github:42', $repo: 'acme/api' };
    setTemplateSrv({
      replace: (value: string, scoped?: ScopedVars) =>
        value.replace(/\$\w+/g, (name) => (scoped?.[name.slice(1)]?.value as string) ?? vars[name] ?? name),
    } as unknown as TemplateSrv);
    const query = ds.applyTemplateVariables(
      { refId: 'A', queryType: 'dlqEvents', routingKey: '$source', repo: '$repo', eventName: '$event', limit: 10 },
      { event: { text: 'push', value: 'push' } }
    );
    expect(query).toEqual({
      refId: 'A',
      queryType: 'dlqEvents',
      routingKey: 'github:42',
      repo: 'acme/api',
      eventName: 'push',
      limit: 10,
    });
  });
});

describe('interpolateQuery', () => {
  const upper = (v: string) => v.toUpperCase();

  it('gives a query without a type the default type (alert rules may omit it)', () => {
    expect(interpolateQuery({ refId: 'A' } as KiciQuery, upper).queryType).toBe('health');
  });

  it('touches only the free-text options', () => {
    const q: KiciQuery = { refId: 'a', queryType: 'dlqEvents', errorText: 'timeout', sort: 'dlqAt', cursor: 'abc' };
    expect(interpolateQuery(q, upper)).toEqual({ ...q, errorText: 'TIMEOUT' });
  });
});

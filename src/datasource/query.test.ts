// The shared query model's runtime lists (mutation testing, issue 20): what the query editor offers, and which
// datasource and app settings are the plugin's (provisioning files are checked against these lists in
// tests/grafana-rules, which the mutation run does not include).
import { parseSettings } from '../backend/kici/settings';
import {
  APP_JSON_DATA_KEYS,
  DATASOURCE_JSON_DATA_KEYS,
  DATASOURCE_SECURE_JSON_DATA_KEYS,
  DEFAULT_QUERY_TYPE,
} from './query';
import { QUERY_TYPE_INFOS } from './queryTypes';

describe('the query model', () => {
  it('the query editor offers every query type, in this order, a new query starting at the health matrix', () => {
    expect(QUERY_TYPE_INFOS.map((i) => [i.value, i.label])).toEqual([
      ['health', 'Health matrix'],
      ['schemaInfo', 'Schema info'],
      ['dlqEvents', 'DLQ events'],
      ['dlqDepth', 'DLQ depth'],
      ['dlqSignatures', 'DLQ error signatures'],
      ['eventDelivery', 'Event delivery'],
      ['executionMetrics', 'Execution metrics'],
      ['executions', 'Executions'],
      ['secretBackends', 'Secret backends'],
      ['infrastructure', 'Infrastructure'],
      ['orphanedConnections', 'Orphaned connections'],
    ]);
    expect(QUERY_TYPE_INFOS.find((i) => i.value === DEFAULT_QUERY_TYPE)?.label).toBe('Health matrix');
  });

  it('the datasource settings a provisioning file may set', () => {
    expect(DATASOURCE_JSON_DATA_KEYS).toEqual([
      'pgHost',
      'pgPort',
      'pgDatabase',
      'pgUser',
      'pgSslMode',
      'pgMaxConnections',
      'pgStatementTimeoutMs',
      'orchestratorUrls',
      'httpTimeoutMs',
      'platformUrl',
      'platformOrg',
      'agentHealthPort',
      'discardMinRole',
      'latestVersionSource',
      'latestVersion',
      'npmRegistryUrl',
      'infrastructureCacheMs',
    ]);
    expect(DATASOURCE_SECURE_JSON_DATA_KEYS).toEqual(['pgPassword', 'pgCaCert', 'adminToken', 'platformToken']);
    expect(APP_JSON_DATA_KEYS).toEqual(['kiciDatasourceUid', 'lokiDatasourceUid', 'prometheusDatasourceUid']);
  });

  it('every setting the backend names in a finding is one of them', () => {
    const json = Object.fromEntries(DATASOURCE_JSON_DATA_KEYS.map((k) => [k, { not: 'valid' }]));
    const secure = Object.fromEntries(DATASOURCE_SECURE_JSON_DATA_KEYS.map((k) => [k, 'bad\nvalue']));
    const named = new Set(parseSettings(json, secure).findings.map((f) => f.setting));
    const known = new Set<string>([...DATASOURCE_JSON_DATA_KEYS, ...DATASOURCE_SECURE_JSON_DATA_KEYS]);
    expect([...named].filter((k) => !known.has(k))).toEqual([]);
    expect(named.size).toBeGreaterThan(10);
  });
});

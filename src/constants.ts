import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** The nested backend datasource (src/datasource/plugin.json). */
export const KICI_DATASOURCE_TYPE = 'kici-ops-datasource';

/** One route per page; add a page here, in plugin.json `includes` and in the SceneApp together. */
export enum ROUTES {
  Overview = 'overview',
  Dlq = 'dlq',
  Traces = 'traces',
  Infrastructure = 'infrastructure',
  SecretBackends = 'secret-backends',
}

/** Refresh cadence of KiCI's own monitoring page. */
export const REFRESH_INTERVALS = {
  infrastructure: '10s',
  executionMetrics: '30s',
} as const;

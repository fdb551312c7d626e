// A JSON schema written here from the rules of Grafana's plugin.json schema that this plugin's files touch
// (docs/sources/developers/plugins/plugin.schema.json, read in the 12.4.0 release source). Not Grafana's file: only
// the facts below, each as the schema states it. The schema is what grafana.com's plugin validator applies; Grafana
// itself only refuses a plugin.json without id or with an unknown type (plugin-loading.ts loaderProblems).
const PLUGIN_ID = '^[0-9a-z]+\\-([0-9a-z]+\\-)?(app|panel|datasource)$';
const VERSION_PART = '([0-9]+)(\\.[0-9x\\*]+)?(\\.[0-9x\\*]+)?(-[0-9A-Za-z-.]+)?';

export const pluginJsonSchema = {
  type: 'object',
  required: ['type', 'name', 'id', 'info', 'dependencies'],
  // The schema allows exactly these top-level properties (additionalProperties: false).
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: PLUGIN_ID },
    type: { enum: ['app', 'datasource', 'panel', 'renderer'] },
    name: { type: 'string' },
    info: {
      type: 'object',
      required: ['logos', 'version', 'updated', 'keywords'],
      additionalProperties: false,
      properties: {
        author: {
          type: 'object',
          additionalProperties: false,
          properties: { name: { type: 'string' }, email: { type: 'string' }, url: { type: 'string' } },
        },
        build: { type: 'object' },
        description: { type: 'string' },
        keywords: { type: 'array', minItems: 1, items: { type: 'string' } },
        links: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { name: { type: 'string' }, url: { type: 'string' } },
          },
        },
        logos: {
          type: 'object',
          required: ['small', 'large'],
          additionalProperties: false,
          properties: { small: { type: 'string' }, large: { type: 'string' } },
        },
        screenshots: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { name: { type: 'string' }, path: { type: 'string' } },
          },
        },
        updated: { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2}|\\%TODAY\\%)$' },
        version: { type: 'string', pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)|(\\%VERSION\\%)$' },
      },
    },
    dependencies: {
      type: 'object',
      required: ['grafanaDependency'],
      additionalProperties: false,
      properties: {
        grafanaVersion: { type: 'string' },
        // One comparator, optionally a second one after a single space: no "||".
        grafanaDependency: {
          type: 'string',
          pattern: `^(<=|>=|<|>|=|~|\\^)?${VERSION_PART}(\\s(<=|>=|<|=>)?${VERSION_PART})?$`,
        },
        plugins: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'name', 'type'],
            properties: { id: { type: 'string', pattern: PLUGIN_ID }, type: { enum: ['app', 'datasource', 'panel'] } },
          },
        },
        extensions: { type: 'object' },
      },
    },
    alerting: { type: 'boolean' },
    annotations: { type: 'boolean' },
    autoEnabled: { type: 'boolean' },
    backend: { type: 'boolean' },
    buildMode: { type: 'string' },
    builtIn: { type: 'boolean' },
    category: { enum: ['tsdb', 'logging', 'cloud', 'tracing', 'profiling', 'sql', 'enterprise', 'iot', 'other'] },
    enterpriseFeatures: { type: 'object' },
    executable: { type: 'string' },
    hideFromList: { type: 'boolean' },
    includes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          uid: { type: 'string' },
          type: { enum: ['dashboard', 'page', 'panel', 'datasource'] },
          name: { type: 'string' },
          component: { type: 'string' },
          role: { enum: ['Admin', 'Editor', 'Viewer'] },
          action: { type: 'string' },
          path: { type: 'string' },
          addToNav: { type: 'boolean' },
          defaultNav: { type: 'boolean' },
          icon: { type: 'string' },
        },
      },
    },
    logs: { type: 'boolean' },
    metrics: { type: 'boolean' },
    multiValueFilterOperators: { type: 'boolean' },
    pascalName: { type: 'string', pattern: '^([A-Z][a-zA-Z]{1,62})$' },
    preload: { type: 'boolean' },
    suggestions: { type: 'boolean' },
    queryOptions: { type: 'object' },
    routes: { type: 'array' },
    skipDataQuery: { type: 'boolean' },
    state: { enum: ['alpha', 'beta', 'stable', 'deprecated'] },
    streaming: { type: 'boolean' },
    tracing: { type: 'boolean' },
    iam: { type: 'object' },
    roles: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          role: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: { type: 'string' },
              description: { type: 'string' },
              permissions: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  properties: { action: { type: 'string' }, scope: { type: 'string' } },
                },
              },
            },
          },
          grants: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    extensions: { type: 'object' },
    languages: { type: 'array' },
  },
};

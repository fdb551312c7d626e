// The module ids Grafana's frontend plugin loader hands to plugins, per Grafana version: the keys of
// `sharedDependenciesMap` in public/app/features/plugins/loader/sharedDependencies.ts (SystemJS resolves a plugin's AMD
// `define([...])` dependencies against this map; an id missing from it fails the plugin's module load). These are facts
// read from Grafana's source (ids only, no code); `source` says exactly what was read for each row and how sure it is.
//
// The whole grafana/grafana repository was too large to fetch here, so no row was read at its release tag. Read were:
//   A  TrungDang143/grafana-12.4.0, a git tree of the 12.4.0 release source (package.json "version": "12.4.0",
//      first commit ebae266a): the full file, plus public/app/features/plugins/loader/systemjs.ts.
//   B  jkafader-esnet/grafana@4c89fd55 (a fork on the 11.6 line: its package.json says 11.6.1): the full file.
//   C  wdgde/grafana@3c259339 (a fork of main while 12.1 was developed: package.json 12.1.0-pre): the full file.
//   D  Jstein77/grafana@45d4f3cc (a fork of main while 13.2 was developed: package.json 13.2.0-pre): the full file.
//   E  grafana/plugin-tools packages/create-plugin/src/codemods/additions/scripts/externalize-jsx-runtime.ts (#2448,
//      create-plugin 6.10.0): Grafana provides react/jsx-runtime to plugins in
//      `>=11.6.11 <12 || >=12.0.10 <12.1 || >=12.1.7 <12.2 || >=12.2.5`.
//   F  grafana/grafana docs/sources/upgrade-guide/upgrade-v13.0/index.md ("the migration to React 19 in Grafana 13")
//      and plugin-tools docusaurus/docs/migration-guides/update-from-grafana-versions/v12.x-v13.x.md: Grafana 13 runs
//      plugins on React 19, where a plugin that bundles React 18's react/jsx-runtime fails to load.
// Rows not read directly list only the ids present in the reads on both sides of them (never more).

/** Ids every version in this table provides: read in A, B, C and D alike. */
const SHARED_SINCE_11_6 = [
  '@emotion/css',
  '@emotion/react',
  '@grafana/data',
  '@grafana/data/unstable',
  '@grafana/runtime',
  '@grafana/runtime/unstable',
  '@grafana/slate-react',
  '@grafana/ui',
  '@grafana/ui/unstable',
  '@kusto/monaco-kusto',
  'app/core/app_events',
  'app/core/config',
  'app/core/core',
  'app/core/services/backend_srv',
  'app/core/table_model',
  'app/core/time_series',
  'app/core/time_series2',
  'app/core/utils/datemath',
  'app/core/utils/flatten',
  'app/core/utils/kbn',
  'app/core/utils/ticks',
  'app/features/dashboard/impression_store',
  'd3',
  'emotion',
  'i18next',
  'jquery',
  'jquery.flot',
  'jquery.flot.crosshair',
  'jquery.flot.events',
  'jquery.flot.fillbelow',
  'jquery.flot.gauge',
  'jquery.flot.pie',
  'jquery.flot.selection',
  'jquery.flot.stack',
  'jquery.flot.stackpercent',
  'jquery.flot.time',
  'lodash',
  'moment',
  'prismjs',
  'react',
  'react-dom',
  'react-inlinesvg',
  'react-redux',
  'react-router',
  'react-router-dom',
  'redux',
  'rxjs',
  'rxjs/operators',
  'slate',
  'slate-plain-serializer',
  'slate-react',
];

const JSX_RUNTIME = ['react/jsx-runtime', 'react/jsx-dev-runtime'];

/**
 * Ids SystemJS itself resolves for an AMD module, outside the shared map: its AMD extra
 * (systemjs dist/extras/amd.js: 'require', 'exports', 'module'), which Grafana's loader imports in
 * public/app/features/plugins/loader/systemjs.ts (read in A).
 */
export const AMD_BUILTIN_IDS = ['require', 'exports', 'module'];

export interface SharedDependencyRow {
  /** The Grafana version the row speaks for: a minor's lowest patch, or the patch where a module appeared. */
  version: string;
  /** The React major Grafana runs plugins on at this version. */
  react: 18 | 19;
  ids: string[];
  /** What was read for this row (letters as in the header). */
  source: string;
}

export const SHARED_DEPENDENCIES: SharedDependencyRow[] = [
  {
    version: '11.6.0',
    react: 18,
    ids: SHARED_SINCE_11_6,
    source: 'B (11.6 line, not the v11.6.0 tag); no jsx-runtime before 11.6.11 per E',
  },
  { version: '11.6.11', react: 18, ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME], source: 'B + jsx-runtime per E' },
  {
    version: '12.0.0',
    react: 18,
    ids: SHARED_SINCE_11_6,
    source: 'not read: ids present in both B and C; no jsx-runtime before 12.0.10 per E',
  },
  {
    version: '12.0.10',
    react: 18,
    ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME],
    source: '12.0.0 row + jsx-runtime per E',
  },
  {
    version: '12.1.0',
    react: 18,
    ids: SHARED_SINCE_11_6,
    source: 'C (main during 12.1); no jsx-runtime before 12.1.7 per E',
  },
  { version: '12.1.7', react: 18, ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME], source: 'C + jsx-runtime per E' },
  {
    version: '12.2.0',
    react: 18,
    ids: SHARED_SINCE_11_6,
    source: 'not read: ids present in both C and A; no jsx-runtime before 12.2.5 per E',
  },
  {
    version: '12.2.5',
    react: 18,
    ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME],
    source: '12.2.0 row + jsx-runtime per E',
  },
  {
    version: '12.3.0',
    react: 18,
    ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME],
    source: 'not read: ids present in both C and A; jsx-runtime per E (>=12.2.5)',
  },
  {
    version: '12.4.0',
    react: 18,
    ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME],
    source: 'A (the 12.4.0 release source, package.json react 18.3.1)',
  },
  {
    version: '13.0.0',
    react: 19,
    ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME],
    source: 'not read: ids present in both A and D; React 19 per F',
  },
  {
    version: '13.1.0',
    react: 19,
    ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME],
    source: 'not read: ids present in both A and D; React 19 per F',
  },
  {
    version: '13.2.0',
    react: 19,
    ids: [...SHARED_SINCE_11_6, ...JSX_RUNTIME, 'react-dom/client', 'react-dom/server'],
    source: 'D (main during 13.2; react-router maps to react-router-dom there); React 19 per F',
  },
];

function versionKey(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) {
    throw new Error(`not a Grafana version: ${version}`);
  }
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [versionKey(a), versionKey(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * The ids Grafana `version` provides: the row of the newest table version at or below it. Used by the browser host so
 * the page built against an older Grafana's packages shares only what that Grafana shares.
 */
export function sharedIdsAt(version: string): string[] {
  const rows = SHARED_DEPENDENCIES.filter((row) => compareVersions(row.version, version) <= 0);
  if (rows.length === 0) {
    throw new Error(`Grafana ${version} is older than the table (${SHARED_DEPENDENCIES[0].version})`);
  }
  return rows.reduce((newest, row) => (compareVersions(row.version, newest.version) > 0 ? row : newest)).ids;
}

// Plugin loading as Grafana does it: plugin.json against Grafana's schema and loader, nested-plugin discovery, the
// executable names Grafana starts, file modes, includes, roles and page actions. Rules and their Grafana sources:
// plugin-loading.ts and plugin-json-schema.ts. The dist/ checks need `npm run build:frontend` and
// `npm run build:backend -- --host-only` (npm test runs both first).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  discoverPlugins,
  executableNameProblems,
  grafanaExecutableName,
  loaderProblems,
  nestedIncludeProblems,
  pageAccessProblems,
  type PluginJson,
  roleProblems,
  schemaProblems,
} from './plugin-loading';

const repo = join(__dirname, '..', '..');

function need(relative: string): string {
  const path = join(repo, relative);
  if (!existsSync(path)) {
    throw new Error(
      `${relative} is missing: run \`npm run build:frontend && npm run build:backend -- --host-only\` first`
    );
  }
  return path;
}

function readJson(relative: string): PluginJson {
  return JSON.parse(readFileSync(need(relative), 'utf8')) as PluginJson;
}

// plugin.json is canonical, src/plugin.json links to it, dist/ holds the copies Grafana reads.
const APP_FILES = ['plugin.json', 'dist/plugin.json'];
const DATASOURCE_FILES = ['src/datasource/plugin.json', 'dist/datasource/plugin.json'];
const ALL_FILES = [...APP_FILES, ...DATASOURCE_FILES];

const app = () => readJson('dist/plugin.json');
const clone = (json: PluginJson): PluginJson => JSON.parse(JSON.stringify(json)) as PluginJson;

describe('plugin.json against Grafana', () => {
  it.each(ALL_FILES)('%s follows plugin.schema.json', (file) => {
    expect(schemaProblems(readJson(file))).toEqual([]);
  });

  it.each(ALL_FILES)('%s is loadable (id and type)', (file) => {
    expect(loaderProblems(readJson(file))).toEqual([]);
  });

  it('the schema rules refuse a misspelt includes type, a bad id, a two-part range and an unknown permission field', () => {
    const planted = clone(app());
    planted.includes![6].type = 'dashbaord';
    planted.id = 'kici_ops_app';
    (planted.dependencies as { grafanaDependency: string }).grafanaDependency = '>=11.6.11 <12 || >=12.2.5';
    planted.roles![0].role.permissions = [{ action: 'kici-ops-app.x:read', scope: 'x', extra: 1 } as never];
    expect(schemaProblems(planted)).toEqual([
      '/id must match pattern "^[0-9a-z]+\\-([0-9a-z]+\\-)?(app|panel|datasource)$"',
      '/dependencies/grafanaDependency must match pattern "^(<=|>=|<|>|=|~|\\^)?([0-9]+)(\\.[0-9x\\*]+)?(\\.[0-9x\\*]+)?(-[0-9A-Za-z-.]+)?(\\s(<=|>=|<|=>)?([0-9]+)(\\.[0-9x\\*]+)?(\\.[0-9x\\*]+)?(-[0-9A-Za-z-.]+)?)?$"',
      '/includes/6/type must be equal to one of the allowed values',
      '/roles/0/role/permissions/0 must NOT have additional properties',
    ]);
    expect(loaderProblems({ ...planted, type: 'application' })).toEqual([
      'did not find valid type or id properties (id "kici_ops_app", type "application")',
    ]);
  });
});

describe('nested-plugin discovery', () => {
  it('Grafana finds exactly the app in dist/ and the datasource as its child', () => {
    need('dist/plugin.json');
    expect(Object.fromEntries(discoverPlugins(join(repo, 'dist')))).toEqual({ '.': '', datasource: '.' });
  });

  it('the app lists the nested datasource in includes', () => {
    const child = { path: 'datasource/plugin.json', json: readJson('dist/datasource/plugin.json') };
    expect(nestedIncludeProblems(app(), [child])).toEqual([]);
    const planted = clone(app());
    planted.includes = planted.includes!.filter((include) => include.type !== 'datasource');
    expect(nestedIncludeProblems(planted, [child])).toEqual([
      "nested datasource kici-ops-datasource (datasource/plugin.json) is not in the app's includes",
    ]);
  });

  it('a stray plugin.json anywhere under the app is discovered as another child plugin', () => {
    const root = mkdtempSync(join(tmpdir(), 'kici-discovery-'));
    try {
      for (const dir of ['', 'datasource', 'dashboards', 'node_modules/x']) {
        mkdirSync(join(root, dir), { recursive: true });
        writeFileSync(join(root, dir, 'plugin.json'), '{}');
      }
      expect(Object.fromEntries(discoverPlugins(root))).toEqual({ '.': '', datasource: '.', dashboards: '.' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

// Grafana's names for this machine (Node's platform/arch -> Go's GOOS/GOARCH).
const GOOS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

function scriptTargets(): { executable: string; targets: string[] } {
  const script = readFileSync(join(repo, 'scripts/build-backend.mjs'), 'utf8');
  const executable = /const EXECUTABLE = '([^']+)'/.exec(script)?.[1];
  const block = /const TARGETS = \{([^}]*)\}/.exec(script)?.[1];
  if (!executable || !block) {
    throw new Error('scripts/build-backend.mjs no longer has `const EXECUTABLE` and `const TARGETS = {...}`');
  }
  return { executable, targets: [...block.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]) };
}

describe('backend executables', () => {
  const executable = () => readJson('dist/datasource/plugin.json').executable!;

  it('every target the build ships has a name Grafana starts and its installer marks executable', () => {
    const { executable: scripted, targets } = scriptTargets();
    expect(scripted).toBe(executable());
    const names = targets.map((target) => {
      const [os, arch] = target.split('_');
      return grafanaExecutableName(scripted, os, arch);
    });
    expect(names).toEqual([
      'gpx_kici_ops_linux_amd64',
      'gpx_kici_ops_linux_arm64',
      'gpx_kici_ops_darwin_amd64',
      'gpx_kici_ops_darwin_arm64',
      'gpx_kici_ops_windows_amd64.exe',
    ]);
    expect(executableNameProblems(scripted, names)).toEqual([]);
  });

  it('the executables in dist/datasource are named as Grafana looks for them', () => {
    const files = readdirSync(need('dist/datasource'));
    expect(executableNameProblems(executable(), files)).toEqual([]);
    expect(executableNameProblems('gpx_kici', files)).toContain(
      'gpx_kici_ops_linux_amd64: not a name Grafana builds from "gpx_kici"'
    );
    expect(executableNameProblems('gpx_kici_ops', ['gpx_kici_ops_linux_x64', 'gpx_kici_ops_windows_amd64'])).toEqual([
      "gpx_kici_ops_linux_x64: Grafana's installer does not make this suffix executable",
      'gpx_kici_ops_windows_amd64: not a name Grafana builds from "gpx_kici_ops"',
    ]);
  });

  it("this machine's executable exists with mode 0755", () => {
    const name = grafanaExecutableName(executable(), GOOS[process.platform], GOARCH[process.arch]);
    const mode = statSync(need(`dist/datasource/${name}`)).mode & 0o777;
    // plugin-validator binarypermissions.go: exactly 0755; Grafana's installer (storage/fs.go) sets the same.
    expect(mode.toString(8)).toBe('755');
  });
});

describe('roles, grants and page actions', () => {
  it.each(APP_FILES)('%s declares roles Grafana registers', (file) => {
    expect(roleProblems(readJson(file))).toEqual([]);
  });

  it('role registration refuses an action without the plugin prefix, two colons, a bad scope and a bad grant', () => {
    const planted = clone(app());
    planted.roles![0].role.permissions = [
      { action: 'secret-backends:read' },
      { action: 'kici-ops-app.dlq:read:all' },
      { action: 'plugins.app:access', scope: 'plugins:id:other-app' },
    ];
    planted.roles![0].grants = ['Viewers', 'None'];
    expect(roleProblems(planted)).toEqual([
      'secret-backends:read: not prefixed with kici-ops-app: or kici-ops-app.',
      'kici-ops-app.dlq:read:all: more than one colon',
      'plugins.app:access: scope must be plugins:id:kici-ops-app',
      'grant "Viewers" is not a basic role (Viewer, Editor, Admin, Grafana Admin)',
      'grant "None" is not a basic role (Viewer, Editor, Admin, Grafana Admin)',
    ]);
  });

  it.each(APP_FILES)('every page of %s can be opened by a user with its role', (file) => {
    expect(pageAccessProblems(readJson(file))).toEqual([]);
  });

  it('a page action in no role, or only in a role granted above the page role, locks the page', () => {
    const planted = clone(app());
    planted.includes!.find((include) => include.name === 'Traces')!.action = 'kici-ops-app.trace:read';
    planted.roles!.find((r) => r.role.name === 'KiCI DLQ reader')!.grants = ['Admin'];
    expect(pageAccessProblems(planted)).toEqual([
      'page "Traces": action kici-ops-app.trace:read is in no role, so no user can open the page',
      'page "Event DLQ": no role granted to Viewer holds kici-ops-app.dlq:read',
    ]);
  });
});

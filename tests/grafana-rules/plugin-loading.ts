// What Grafana does with plugin.json and the plugin folder when it loads a plugin, as pure checks returning the problems
// found (an empty list means Grafana accepts it). Facts read from Grafana's source, no code copied. "12.4.0" is the
// 12.4.0 release source (TrungDang143/grafana-12.4.0, a git tree of it); "older" is every other stored version of the
// same function in the public code index (forks and earlier grafana/grafana commits), quoted where it is stricter.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import Ajv from 'ajv';

import { pluginJsonSchema } from './plugin-json-schema';

export interface PluginJson {
  id: string;
  type: string;
  executable?: string;
  includes?: Array<{ type: string; name?: string; path?: string; role?: string; action?: string }>;
  roles?: Array<{
    role: { name?: string; description?: string; permissions?: Array<{ action: string; scope?: string }> };
    grants?: string[];
  }>;
  [key: string]: unknown;
}

// The schema's patterns escape '-' and '%', which unicode regexes refuse: compile them as plain ones.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
const validateSchema = ajv.compile(pluginJsonSchema);

/** docs/sources/developers/plugins/plugin.schema.json (12.4.0), the facts in plugin-json-schema.ts. */
export function schemaProblems(json: unknown): string[] {
  if (validateSchema(json)) {
    return [];
  }
  return (validateSchema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

// pkg/plugins/plugins.go (12.4.0) validatePluginJSON: a plugin.json without an id or with a type outside
// Type.IsValid() (datasource, panel, app, renderer) is skipped at discovery ("did not find valid type or id properties").
const LOADABLE_TYPES = ['datasource', 'panel', 'app', 'renderer'];

export function loaderProblems(json: PluginJson): string[] {
  return !json.id || !LOADABLE_TYPES.includes(json.type)
    ? [`did not find valid type or id properties (id "${json.id ?? ''}", type "${json.type ?? ''}")`]
    : [];
}

/**
 * pkg/plugins/manager/sources/source_local_disk.go (12.4.0) Discover/getAbsPluginJSONPaths: every file named
 * plugin.json under the plugin folder (symlinks followed, node_modules skipped) is a plugin; one whose folder lies
 * inside another plugin's folder becomes that plugin's child. Returns folder -> parent folder ('' for a root).
 */
export function discoverPlugins(root: string): Map<string, string> {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (name !== 'node_modules') {
          walk(path);
        }
      } else if (name === 'plugin.json') {
        found.push(relative(root, dir) || '.');
      }
    }
  };
  walk(root);
  const parents = new Map<string, string>();
  for (const dir of found) {
    const parent = found.find((other) => other !== dir && !relative(other, dir).includes('..'));
    parents.set(dir, parent ?? '');
  }
  return parents;
}

// The app lists its nested datasource in includes (type "datasource", path to its plugin.json). Grafana discovers the
// child either way (above); the include is what plugin.schema.json's includes[].type "datasource" is for.
export function nestedIncludeProblems(app: PluginJson, children: Array<{ path: string; json: PluginJson }>): string[] {
  return children
    .filter(
      (child) =>
        !(app.includes ?? []).some((include) => include.type === child.json.type && include.path === child.path)
    )
    .map((child) => `nested ${child.json.type} ${child.json.id} (${child.path}) is not in the app's includes`);
}

// pkg/plugins/plugins.go (12.4.0) executablePath: Grafana starts <plugin dir>/<executable>_<GOOS>_<lower GOARCH>,
// with ".exe" on windows.
export function grafanaExecutableName(executable: string, os: string, arch: string): string {
  return `${executable}_${os.toLowerCase()}_${arch.toLowerCase()}${os.toLowerCase() === 'windows' ? '.exe' : ''}`;
}

// pkg/plugins/storage/fs.go (12.4.0) extractFile: when Grafana installs a plugin archive, files ending in these
// suffixes get mode 0755; any other executable keeps the archive's mode.
export const INSTALL_MARKS_EXECUTABLE = [
  '_linux_amd64',
  '_linux_arm',
  '_linux_arm64',
  '_darwin_amd64',
  '_darwin_arm64',
  '_windows_amd64.exe',
];

export function executableNameProblems(executable: string, files: string[]): string[] {
  const own = files.filter((file) => file.startsWith(`${executable}_`));
  const problems = files
    .filter((file) => !own.includes(file) && /_(linux|darwin|windows)_/.test(file))
    .map((file) => `${file}: Grafana looks for ${executable}_<os>_<arch>, not this name`);
  for (const file of own) {
    const match = /^(.*)_(linux|darwin|windows)_([a-z0-9]+)(\.exe)?$/.exec(file);
    if (!match || grafanaExecutableName(executable, match[2], match[3]) !== file) {
      problems.push(`${file}: not a name Grafana builds from "${executable}"`);
    } else if (!INSTALL_MARKS_EXECUTABLE.some((suffix) => file.endsWith(suffix))) {
      problems.push(`${file}: Grafana's installer does not make this suffix executable`);
    }
  }
  return problems;
}

// pkg/services/accesscontrol/pluginutils/utils.go (12.4.0) ValidatePluginPermissions/ValidatePluginAction, called by
// acimpl.Service.DeclarePluginRoles when the plugin registers: an action is one of the allowed core actions (with the
// scope prefix+plugin id) or starts with "<plugin id>:" or "<plugin id>."; older versions also refuse an action with
// two or more colons. ValidatePluginRole: a role needs a name. A failed registration fails the plugin's registration.
const CORE_ACTIONS: Record<string, string> = {
  'plugins:write': 'plugins:id:',
  'plugins.app:access': 'plugins:id:',
  'folders:create': 'folders:uid:',
  'folders:read': 'folders:uid:',
  'folders:write': 'folders:uid:',
  'folders:delete': 'folders:uid:',
  'folders.permissions:read': 'folders:uid:',
  'folders.permissions:write': 'folders:uid:',
};

// pkg/services/accesscontrol/roles.go (12.4.0) ValidateBuiltInRoles: a grant is Viewer, Editor, Admin or
// "Grafana Admin"; "None" cannot receive permissions.
const GRANTABLE = ['Viewer', 'Editor', 'Admin', 'Grafana Admin'];

export function roleProblems(json: PluginJson): string[] {
  const problems: string[] = [];
  for (const { role, grants = [] } of json.roles ?? []) {
    if (!role.name) {
      problems.push('a role without a name');
    }
    for (const { action, scope } of role.permissions ?? []) {
      const corePrefix = CORE_ACTIONS[action];
      if (corePrefix !== undefined) {
        if (scope !== corePrefix + json.id) {
          problems.push(`${action}: scope must be ${corePrefix}${json.id}`);
        }
      } else if (!action.startsWith(`${json.id}:`) && !action.startsWith(`${json.id}.`)) {
        problems.push(`${action}: not prefixed with ${json.id}: or ${json.id}.`);
      } else if ((action.match(/:/g) ?? []).length > 1) {
        problems.push(`${action}: more than one colon`);
      }
    }
    for (const grant of grants) {
      if (!GRANTABLE.includes(grant)) {
        problems.push(`grant "${grant}" is not a basic role (${GRANTABLE.join(', ')})`);
      }
    }
  }
  return problems;
}

// pkg/middleware/auth.go (12.4.0) RoleAppPluginAuth and navtree applinks.go hasAccessToInclude: a page with an action
// is shown and served only to users holding that action (its role is then ignored); without one, to users with its
// role (default Viewer, pkg/plugins/plugins.go ReadPluginJSON). GetPluginRouteEvaluator scopes plugins.app:access and
// plugins:write to the plugin. So a page action nobody is granted locks the page for everyone; a user with the page's
// role can open it only if a role holding the action is granted to that basic role or one below it.
const BASIC_ROLE_ORDER = ['Viewer', 'Editor', 'Admin'];

export function pageAccessProblems(json: PluginJson): string[] {
  const problems: string[] = [];
  for (const page of (json.includes ?? []).filter((include) => include.type === 'page')) {
    if (!page.action || page.action === 'plugins.app:access' || page.action === 'plugins:write') {
      continue;
    }
    const granting = (json.roles ?? []).filter((r) => (r.role.permissions ?? []).some((p) => p.action === page.action));
    if (!granting.length) {
      problems.push(`page "${page.name}": action ${page.action} is in no role, so no user can open the page`);
      continue;
    }
    const pageRole = BASIC_ROLE_ORDER.indexOf(page.role ?? 'Viewer');
    const reachable = granting.some((r) =>
      (r.grants ?? []).some((g) => BASIC_ROLE_ORDER.includes(g) && BASIC_ROLE_ORDER.indexOf(g) <= pageRole)
    );
    if (!reachable) {
      problems.push(`page "${page.name}": no role granted to ${page.role ?? 'Viewer'} holds ${page.action}`);
    }
  }
  return problems;
}

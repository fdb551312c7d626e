// Who is browsing the host: the Grafana role (Viewer/Editor/Admin) and, when the host serves several
// scenarios, which KiCI datasource the app is configured with. Picked with `?role=` / `?ds=` on any page
// URL and kept in cookies, so every API call of that browser carries the same user.

export const GRAFANA_ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type HostRole = (typeof GRAFANA_ROLES)[number];

export const ROLE_COOKIE = 'kici_host_role';
export const DS_COOKIE = 'kici_host_ds';

export interface Session {
  role: HostRole;
  /** Datasource uid the app's `kiciDatasourceUid` points at for this browser. */
  datasourceUid: string;
  /** Set-Cookie values to send when the choice came from the query string. */
  setCookies: string[];
}

export class SessionError extends Error {}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    }
  }
  return out;
}

function asRole(value: string): HostRole {
  const role = GRAFANA_ROLES.find((r) => r.toLowerCase() === value.toLowerCase());
  if (!role) {
    throw new SessionError(`unknown role ${JSON.stringify(value)}: use one of ${GRAFANA_ROLES.join(', ')}`);
  }
  return role;
}

export function sessionFrom(
  query: URLSearchParams,
  cookieHeader: string | undefined,
  defaults: { role: HostRole; datasourceUid: string; datasourceUids: string[] }
): Session {
  const cookies = parseCookies(cookieHeader);
  const setCookies: string[] = [];
  let role = defaults.role;
  const queryRole = query.get('role');
  if (queryRole !== null) {
    role = asRole(queryRole);
    setCookies.push(`${ROLE_COOKIE}=${role}; Path=/; SameSite=Lax`);
  } else if (cookies[ROLE_COOKIE]) {
    role = GRAFANA_ROLES.find((r) => r === cookies[ROLE_COOKIE]) ?? defaults.role;
  }
  let datasourceUid = defaults.datasourceUid;
  const queryDs = query.get('ds');
  if (queryDs !== null) {
    if (!defaults.datasourceUids.includes(queryDs)) {
      throw new SessionError(
        `unknown datasource uid ${JSON.stringify(queryDs)}: this host serves ${defaults.datasourceUids.join(', ')}`
      );
    }
    datasourceUid = queryDs;
    setCookies.push(`${DS_COOKIE}=${encodeURIComponent(queryDs)}; Path=/; SameSite=Lax`);
  } else if (cookies[DS_COOKIE] && defaults.datasourceUids.includes(cookies[DS_COOKIE])) {
    datasourceUid = cookies[DS_COOKIE];
  }
  return { role, datasourceUid, setCookies };
}

/** Grafana's basic roles inherit upwards: what Viewer is granted, Editor and Admin have too. */
export function roleAtLeast(role: HostRole, min: HostRole): boolean {
  return GRAFANA_ROLES.indexOf(role) >= GRAFANA_ROLES.indexOf(min);
}

interface PluginRoles {
  roles?: Array<{ role: { permissions?: Array<{ action: string; scope?: string }> }; grants?: string[] }>;
}

/** RBAC actions plugin.json `roles` grant to a basic role (Grafana's `bootData.user.permissions` map). */
export function permissionsFor(role: HostRole, pluginJson: PluginRoles): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const r of pluginJson.roles ?? []) {
    const granted = (r.grants ?? []).some(
      (g) => GRAFANA_ROLES.includes(g as HostRole) && roleAtLeast(role, g as HostRole)
    );
    if (granted) {
      for (const p of r.role.permissions ?? []) {
        out[p.action] = true;
      }
    }
  }
  return out;
}

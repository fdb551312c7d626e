// The users the journeys sign in as. Admin is Grafana's own (GF_SECURITY_ADMIN_PASSWORD in docker-compose.yaml,
// GRAFANA_ADMIN_USER/GRAFANA_ADMIN_PASSWORD for plugin-e2e); the others are created by the auth setup projects.
// @grafana/plugin-e2e 3.14.0 (dist/fixtures/commands/login.js) writes each login's cookies to
// <cwd>/playwright/.auth/<user>.json: the run-tests projects load that file as their storageState.
import path from 'node:path';

import type { User } from '@grafana/plugin-e2e';

export const ADMIN: User = {
  user: process.env.GRAFANA_ADMIN_USER ?? 'admin',
  password: process.env.GRAFANA_ADMIN_PASSWORD ?? 'admin',
};
export const VIEWER: User = { user: 'kici-viewer', password: 'kici-viewer-e2e', role: 'Viewer' };
export const EDITOR: User = { user: 'kici-editor', password: 'kici-editor-e2e', role: 'Editor' };

export function storageStateOf(user: User): string {
  return path.join(process.cwd(), 'playwright', '.auth', `${user.user}.json`);
}

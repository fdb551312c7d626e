import { PLUGIN_BASE_URL } from '../constants';

/** Prefixes a route with the app's base URL, e.g. `overview` -> `/a/kici-ops-app/overview`. */
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

// The Grafana extension points KiCI adds links to, and where the links lead. Ids are the values of
// `PluginExtensionPoints` in @grafana/data 11.6.0 and 12.4.2 (points.test.ts compares them with the enum).
import { ROUTES } from '../constants';
import pluginJson from '../plugin.json';

export const EXTENSION_POINTS = {
  alertInstance: 'grafana/alerting/instance/action',
  panelMenu: 'grafana/dashboard/panel/menu',
  exploreToolbar: 'grafana/explore/toolbar/action',
  commandPalette: 'grafana/commandpalette/action',
} as const;

/** Grafana refuses a link path that does not start with `/a/<plugin id>/` (validators.ts isLinkPathValid). */
export function appPath(route: ROUTES, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      query.set(key, value);
    }
  }
  const qs = query.toString();
  return `/a/${pluginJson.id}/${route}${qs ? `?${qs}` : ''}`;
}

/** A time given as Grafana's RawTimeRange holds it: `now-6h`, an ISO/epoch string, or a DateTime (moment). */
export type RawTime = string | { valueOf(): number } | null | undefined;

/** `from`/`to` URL values a SceneTimeRange reads back: relative text as is, absolute times as epoch ms. */
export function timeParam(t: RawTime): string | undefined {
  if (t === null || t === undefined) {
    return undefined;
  }
  if (typeof t === 'string') {
    return t.trim() === '' ? undefined : t.trim();
  }
  const ms = Number(t.valueOf());
  return Number.isFinite(ms) ? String(Math.round(ms)) : undefined;
}

export function rangeParams(range?: { from?: RawTime; to?: RawTime } | null): { from?: string; to?: string } {
  const from = timeParam(range?.from);
  const to = timeParam(range?.to);
  // Half a range is no range: the page keeps its own default instead.
  return from && to ? { from, to } : {};
}

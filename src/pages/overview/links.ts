import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';

/** Drilldowns below the overview (`/a/kici-ops-app/overview/<drilldown>`). */
export const OVERVIEW_DRILLDOWNS = {
  runs: 'runs',
  queue: 'queue',
} as const;

export type OverviewDrilldown = keyof typeof OVERVIEW_DRILLDOWNS;

export function drilldownUrl(drilldown: OverviewDrilldown): string {
  return prefixRoute(`${ROUTES.Overview}/${OVERVIEW_DRILLDOWNS[drilldown]}`);
}

/** The Event DLQ page (its own page in the app). */
export const DLQ_PAGE_URL = prefixRoute('dlq');

/** The Infrastructure page: orchestrators, scaler pools and agents serving the queue. */
export const INFRASTRUCTURE_PAGE_URL = prefixRoute('infrastructure');

/** A field link that keeps the page's time range (`${__url_time_range}` is interpolated by Scenes). */
export function keepTimeLink(title: string, url: string) {
  return { title, url: `${url}?\${__url_time_range}` };
}

// The DLQ list's filters: URL form, the dlqEvents query, the bulk-retry filter. Pure.
import type { SceneObjectUrlValues } from '@grafana/scenes';

import type { KiciQuery } from '../../datasource/query';

export type DlqSort = NonNullable<KiciQuery['sort']>;
export type SortDirection = NonNullable<KiciQuery['sortDirection']>;

/** The orders the plugin serves (OFFERED_DLQ_SORTS in the backend's dlq/options.ts): KiCI indexes only dlq_at. */
export const DLQ_SORTS: readonly DlqSort[] = ['dlqAt'];

export interface DlqFilters {
  eventName: string;
  routingKey: string;
  repo: string;
  /** Text anywhere in last_error (case-insensitive, literal). */
  errorText: string;
  /** Only the events of this error signature (its id, from the signatures view); '' for none. */
  signature: string;
  sort: DlqSort;
  dir: SortDirection;
  /** Only events moved to the DLQ within the time picker's range; otherwise the whole DLQ (rows never expire). */
  inRange: boolean;
}

export const TEXT_FILTERS = ['eventName', 'routingKey', 'repo', 'errorText'] as const;
export type TextFilter = (typeof TEXT_FILTERS)[number];

export const DEFAULT_FILTERS: DlqFilters = {
  eventName: '',
  routingKey: '',
  repo: '',
  errorText: '',
  signature: '',
  sort: 'dlqAt',
  dir: 'desc',
  inRange: false,
};

/** Rows per page of the list. */
export const PAGE_SIZE = 50;

/** URL parameters of the list; `eventId` opens that event's detail (the dashboards link with it). */
export const DLQ_URL_KEYS = [...TEXT_FILTERS, 'signature', 'sort', 'dir', 'inRange', 'eventId'] as const;

/** Defaults are left out of the URL. */
export function filtersToUrl(f: DlqFilters): SceneObjectUrlValues {
  const values: SceneObjectUrlValues = {};
  for (const key of TEXT_FILTERS) {
    values[key] = f[key] === '' ? null : f[key];
  }
  values.signature = f.signature === '' ? null : f.signature;
  values.sort = f.sort === DEFAULT_FILTERS.sort ? null : f.sort;
  values.dir = f.dir === DEFAULT_FILTERS.dir ? null : f.dir;
  values.inRange = f.inRange ? '1' : null;
  values.eventId = null;
  return values;
}

/** The list's non-default URL parameters, as plain strings (for links that return to the same list). */
export function listParams(f: DlqFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filtersToUrl(f))) {
    if (typeof v === 'string') {
      out[k] = v;
    }
  }
  return out;
}

const first = (v: SceneObjectUrlValues[string]): string | undefined => (Array.isArray(v) ? v[0] : (v ?? undefined));

/**
 * Unknown sort fields or directions fall back to the default rather than reaching the backend. A link sorted by a
 * column the list no longer sorts by (attempts, event name, created) opens in the default order: its direction was
 * that column's.
 */
export function filtersFromUrl(values: SceneObjectUrlValues): DlqFilters {
  const f: DlqFilters = { ...DEFAULT_FILTERS };
  for (const key of TEXT_FILTERS) {
    f[key] = (first(values[key]) ?? '').trim();
  }
  // Passed on as given: a malformed id is the backend's 400 naming it, shown instead of the list.
  f.signature = (first(values.signature) ?? '').trim();
  const sort = first(values.sort);
  const offered = !sort || (DLQ_SORTS as readonly string[]).includes(sort);
  if (sort && offered) {
    f.sort = sort as DlqSort;
  }
  const dir = first(values.dir);
  if (offered && (dir === 'asc' || dir === 'desc')) {
    f.dir = dir;
  }
  f.inRange = first(values.inRange) === '1' || first(values.inRange) === 'true';
  return f;
}

export function sameFilters(a: DlqFilters, b: DlqFilters): boolean {
  return (Object.keys(DEFAULT_FILTERS) as Array<keyof DlqFilters>).every((k) => a[k] === b[k]);
}

/** The filters besides the time range, as the query and the bulk retry take them. */
function textFilters(f: DlqFilters): Partial<Record<TextFilter | 'signature', string>> {
  const out: Partial<Record<TextFilter | 'signature', string>> = {};
  for (const key of [...TEXT_FILTERS, 'signature'] as const) {
    const value = f[key].trim();
    if (value !== '') {
      out[key] = value;
    }
  }
  return out;
}

/** Any filter besides the time range (text fields or a signature). */
export function hasTextFilters(f: DlqFilters): boolean {
  return Object.keys(textFilters(f)).length > 0;
}

/** The page of the list: filters, server-side sort, keyset cursor. */
export function dlqEventsQuery(f: DlqFilters, cursor?: string, pageSize = PAGE_SIZE): KiciQuery {
  return {
    refId: 'events',
    queryType: 'dlqEvents',
    ...textFilters(f),
    useTimeRange: f.inRange,
    sort: f.sort,
    sortDirection: f.dir,
    limit: pageSize,
    ...(cursor ? { cursor } : {}),
  };
}

/** `POST dlq/retry` body for the events the list shows (all pages), at most `limit` of them. */
export function bulkRetryBody(
  f: DlqFilters,
  range: { from: number; to: number },
  dryRun: boolean
): { filter: Record<string, string | number>; dryRun: boolean } {
  return {
    filter: { ...textFilters(f), ...(f.inRange ? { from: range.from, to: range.to } : {}) },
    dryRun,
  };
}

/**
 * What `POST dlq/redrive` takes for a bulk retry's filter: a signature rides as `signatureId` (the backend resolves its
 * events at start), the rest as the DLQ filter.
 */
export function redriveTarget(filter: Record<string, string | number>): {
  filter: Record<string, string | number>;
  signatureId?: string;
} {
  const { signature, ...rest } = filter;
  return signature === undefined ? { filter: rest } : { filter: rest, signatureId: String(signature) };
}

/**
 * The sort a click on a sortable column header asks for: the other direction on the current column, else that
 * column's first direction (newest first for times). A sort is never removed: the list always has one.
 */
export function nextSort(f: DlqFilters, key: DlqSort, firstDir: SortDirection): DlqFilters {
  return f.sort === key ? { ...f, dir: f.dir === 'asc' ? 'desc' : 'asc' } : { ...f, sort: key, dir: firstDir };
}

/**
 * "event name = x, repo = y" for confirmations and empty states; a signature by its text when the list has read it
 * (`signatureText`), else by its id.
 */
export function describeFilters(f: DlqFilters, signatureText?: string | null): string {
  const labels: Record<TextFilter | 'signature', string> = {
    eventName: 'event name',
    routingKey: 'routing key',
    repo: 'repository',
    errorText: 'last error contains',
    signature: 'error signature',
  };
  const parts = Object.entries(textFilters(f)).map(([k, v]) =>
    k === 'errorText'
      ? `${labels.errorText} "${v}"`
      : k === 'signature'
        ? signatureText
          ? `${labels.signature} “${signatureText}”`
          : `${labels.signature} ${v}`
        : `${labels[k as TextFilter]} = ${v}`
  );
  if (f.inRange) {
    parts.push('moved to the DLQ within the time range');
  }
  return parts.length ? parts.join(', ') : 'the whole DLQ';
}

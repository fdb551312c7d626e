// Test stand-in for the KiCI datasource's DLQ side (frames of src/backend/features/dlq and event-delivery, and the
// dlq/* resources) behind Grafana's runRequest and backendSrv, so page tests exercise real scenes and real requests.
import {
  type DataFrame,
  type DataQueryRequest,
  type DataSourceApi,
  FieldType,
  LoadingState,
  type PanelData,
  toDataFrame,
} from '@grafana/data';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { type Observable, of, throwError } from 'rxjs';

import type { KiciQuery } from '../../datasource/query';
import type { DlqEventDetail, DlqPermissions } from './api';
import type { RedriveView } from './redrive/api';

export const ADMIN: DlqPermissions = {
  canRetry: true,
  retryReason: '',
  canDiscard: true,
  discardReason: '',
  discardMinRole: 'Admin',
  user: { login: 'admin', role: 'Admin' },
  token: {
    configured: true,
    canManage: true,
    role: 'admin',
    routingKey: null,
    reason: 'the admin token has role admin',
  },
  orchestrators: 1,
};

export const AUDITOR_REASON =
  'the configured admin token has role auditor, which cannot manage the DLQ; use an admin or owner token';

export const AUDITOR: DlqPermissions = {
  ...ADMIN,
  canRetry: false,
  retryReason: AUDITOR_REASON,
  canDiscard: false,
  discardReason: AUDITOR_REASON,
  token: { ...ADMIN.token, canManage: false, role: 'auditor', reason: AUDITOR_REASON },
};

export const EDITOR: DlqPermissions = {
  ...ADMIN,
  canDiscard: false,
  discardReason: 'discard needs the Grafana Admin role (datasource setting discardMinRole); editor has Editor',
  user: { login: 'editor', role: 'Editor' },
};

export function dlqEvent(n: number, overrides: Partial<DlqEventDetail> = {}): DlqEventDetail {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const dlqAt = Date.UTC(2026, 10, 24, 6, 0, 0) + n * 60_000;
  return {
    id,
    eventName: 'deploy-complete',
    payload: { env: 'prod', n },
    sourceRepo: 'acme/api',
    sourceRoutingKey: 'github:42',
    sourceRunId: null,
    sourceJobId: null,
    targetRepos: null,
    chainDepth: 0,
    processed: true,
    attempts: 5,
    lastError: `Error: lock file fetch failed (${n})`,
    lastErrorTruncatedByKici: false,
    createdAt: new Date(dlqAt - 70_000).toISOString(),
    expiresAt: new Date(dlqAt + 7 * 86_400_000).toISOString(),
    claimedAt: null,
    claimedBy: null,
    nextRetryAt: null,
    dlqAt: new Date(dlqAt).toISOString(),
    dlqReason: 'exhausted_retries',
    ...overrides,
  };
}

export interface ResourceCall {
  method: string;
  path: string;
  data?: unknown;
}

const TEXT_FIELDS = ['eventName', 'routingKey', 'repo', 'errorText'] as const;

/** An in-memory DLQ answering like the backend: filters, sort, keyset paging, retry/discard, 404 on a second try. */
export class FakeDlq {
  events: DlqEventDetail[];
  permissions: DlqPermissions = ADMIN;
  queries: KiciQuery[] = [];
  prometheusQueries: Array<{ expr?: string }> = [];
  calls: ResourceCall[] = [];
  admissionsPerMinute = new Map<number, number>();
  retryBacklog = 2;
  expiredLeases = 1;
  /** Instant Prometheus values by refId. */
  prometheus: Record<string, number> = { leaseExpirations: 6, admissions1h: 7, admissions24h: 12 };
  /** Retried events: out of the DLQ, waiting for dispatch. */
  retried = new Set<string>();
  /** The redrive `dlq/redrive` reports; a running one completes on the next GET (one poll). */
  redrive: (RedriveView & { ids: string[] }) | null = null;
  /** false: a running redrive stays running across polls (until cancelled). */
  redriveCompletesOnPoll = true;
  /** DLQ error signatures (the `dlqSignatures` frame and `dlq/signatures/:id/events`): the events each groups. */
  signatures: Array<{ id: string; signature: string; ids: string[] }> = [];
  /** Makes the events query fail with this message. */
  eventsError?: string;
  /** Fails every KiCI query (list and stats), as a datasource whose database is unreachable. */
  allError?: string;

  constructor(events: DlqEventDetail[]) {
    this.events = events;
  }

  private matching(q: Partial<Record<(typeof TEXT_FIELDS)[number] | 'signature', string>>): DlqEventDetail[] {
    const sig = q.signature === undefined ? undefined : this.signatures.find((s) => s.id === q.signature);
    return this.events.filter(
      (e) =>
        (q.signature === undefined || Boolean(sig?.ids.includes(e.id))) &&
        (q.eventName === undefined || e.eventName === q.eventName) &&
        (q.routingKey === undefined || e.sourceRoutingKey === q.routingKey) &&
        (q.repo === undefined || e.sourceRepo === q.repo) &&
        (q.errorText === undefined || (e.lastError ?? '').toLowerCase().includes(q.errorText.toLowerCase()))
    );
  }

  private sorted(q: KiciQuery): DlqEventDetail[] {
    // Like the plugin (dlq/options.ts OFFERED_DLQ_SORTS): admission time is the one order it serves.
    if ((q.sort ?? 'dlqAt') !== 'dlqAt') {
      throw new Error(`invalid query: sort: dlqEvents sorts by dlqAt (asc or desc), not ${q.sort}`);
    }
    const dir = q.sortDirection === 'asc' ? 1 : -1;
    const value = (e: DlqEventDetail) => Date.parse(e.dlqAt ?? '');
    return [...this.matching(q)].sort((a, b) =>
      value(a) < value(b) ? -dir : value(a) > value(b) ? dir : a.id < b.id ? -1 : 1
    );
  }

  eventsFrame(q: KiciQuery): DataFrame {
    const all = this.sorted(q);
    const start = q.cursor ? Number(q.cursor.replace('offset-', '')) : 0;
    const limit = q.limit ?? 100;
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? `offset-${start + limit}` : null;
    const col = <T>(f: (e: DlqEventDetail) => T) => page.map(f);
    return toDataFrame({
      refId: q.refId,
      name: q.refId,
      fields: [
        { name: 'id', type: FieldType.string, values: col((e) => e.id) },
        { name: 'eventName', type: FieldType.string, values: col((e) => e.eventName) },
        { name: 'routingKey', type: FieldType.string, values: col((e) => e.sourceRoutingKey) },
        { name: 'repo', type: FieldType.string, values: col((e) => e.sourceRepo) },
        { name: 'sourceRunId', type: FieldType.string, values: col((e) => e.sourceRunId) },
        { name: 'sourceJobId', type: FieldType.string, values: col((e) => e.sourceJobId) },
        { name: 'attempts', type: FieldType.number, values: col((e) => e.attempts) },
        { name: 'reason', type: FieldType.string, values: col((e) => e.dlqReason) },
        { name: 'dlqAt', type: FieldType.time, values: col((e) => Date.parse(e.dlqAt!)) },
        { name: 'createdAt', type: FieldType.time, values: col((e) => Date.parse(e.createdAt!)) },
        { name: 'lastError', type: FieldType.string, values: col((e) => e.lastError) },
      ],
      meta: {
        custom: {
          nextCursor: next,
          limit,
          rows: page.length,
          ...(q.signature
            ? {
                signatureId: q.signature,
                signature: this.signatures.find((s) => s.id === q.signature)?.signature ?? null,
              }
            : {}),
        },
      },
    });
  }

  private statsFrames(q: KiciQuery, range: { from: number; to: number }): DataFrame {
    if (q.queryType === 'eventDelivery') {
      return toDataFrame({
        refId: q.refId,
        name: 'summary',
        fields: [
          { name: 'retryBacklog', type: FieldType.number, values: [this.retryBacklog] },
          { name: 'dueForRetry', type: FieldType.number, values: [1] },
          { name: 'expiredLeases', type: FieldType.number, values: [this.expiredLeases] },
        ],
      });
    }
    if (!q.series) {
      return toDataFrame({
        refId: q.refId,
        fields: [{ name: 'depth', type: FieldType.number, values: [this.events.length] }],
      });
    }
    const step = 60_000;
    const times: number[] = [];
    const counts: number[] = [];
    for (let t = Math.floor(range.from / step) * step; t <= range.to; t += step) {
      times.push(t);
      counts.push(this.admissionsPerMinute.get(Math.round((range.to - t) / step)) ?? 0);
    }
    return toDataFrame({
      refId: q.refId,
      fields: [
        { name: 'time', type: FieldType.time, values: times, config: { interval: step } },
        { name: 'admissions', type: FieldType.number, values: counts },
      ],
    });
  }

  /** For `setRunRequest`. */
  runRequest = (ds: DataSourceApi, request: DataQueryRequest): Observable<PanelData> => {
    const range = { from: request.range.from.valueOf(), to: request.range.to.valueOf() };
    if (ds.type === 'prometheus' || request.targets.some((t) => t.datasource?.type === 'prometheus')) {
      const targets = request.targets as Array<{ refId: string; expr?: string }>;
      this.prometheusQueries.push(...targets);
      const series = targets.map((t) =>
        toDataFrame({
          refId: t.refId,
          fields: [
            { name: 'Time', type: FieldType.time, values: [range.to] },
            { name: 'Value', type: FieldType.number, values: [this.prometheus[t.refId]] },
          ],
        })
      );
      return of({ state: LoadingState.Done, series, timeRange: request.range });
    }
    const targets = request.targets as KiciQuery[];
    this.queries.push(...targets);
    const failure = this.allError ?? (targets.some((t) => t.queryType === 'dlqEvents') ? this.eventsError : undefined);
    if (failure) {
      return of({
        state: LoadingState.Error,
        series: [],
        errors: [{ message: failure, refId: targets[0]?.refId ?? 'A' }],
        timeRange: request.range,
      });
    }
    const series = targets.map((t) =>
      t.queryType === 'dlqEvents'
        ? this.eventsFrame(t)
        : t.queryType === 'dlqSignatures'
          ? this.signaturesFrame(t.refId)
          : this.statsFrames(t, range)
    );
    return of({ state: LoadingState.Done, series, timeRange: request.range });
  };

  private signatureEvents(id: string) {
    const sig = this.signatures.find((s) => s.id === id);
    return { sig, events: this.events.filter((e) => sig?.ids.includes(e.id)) };
  }

  private signaturesFrame(refId: string): DataFrame {
    const sigs = this.signatures
      .map((s) => ({ ...s, events: this.signatureEvents(s.id).events }))
      .filter((s) => s.events.length > 0);
    const str = (name: string, f: (s: (typeof sigs)[number]) => string) => ({
      name,
      type: FieldType.string,
      values: sigs.map(f),
    });
    return toDataFrame({
      refId,
      fields: [
        str('signature', (s) => s.signature),
        { name: 'count', type: FieldType.number, values: sigs.map((s) => s.events.length) },
        { name: 'firstAt', type: FieldType.time, values: sigs.map((s) => Date.parse(s.events[0].dlqAt ?? '')) },
        { name: 'lastAt', type: FieldType.time, values: sigs.map((s) => Date.parse(s.events[0].dlqAt ?? '')) },
        str('eventNames', (s) => [...new Set(s.events.map((e) => e.eventName))].join(', ')),
        str('routingKeys', (s) => [...new Set(s.events.map((e) => e.sourceRoutingKey ?? ''))].join(', ')),
        str('sampleError', (s) => s.events[0].lastError ?? ''),
        str('sampleEventId', (s) => s.events[0].id),
        str('signatureId', (s) => s.id),
        str('admissions', () => '[]'),
      ],
    });
  }

  private answerRedrive(method: string, path: string, data: unknown): { status: number; body: unknown } {
    const view = (r: RedriveView & { ids: string[] }) => {
      const { ids: _ids, ...rest } = r;
      return rest;
    };
    const r = this.redrive;
    if (path.endsWith('/cancel')) {
      if (!r || r.state !== 'running') {
        return { status: 409, body: { error: 'not running' } };
      }
      Object.assign(r, {
        state: 'cancelled',
        cancelRequestedBy: this.permissions.user?.login ?? '(no user)',
        finishedAt: '2026-01-01T00:00:07.000Z',
      });
      return { status: 202, body: { redrive: view(r) } };
    }
    if (method === 'GET') {
      if (r?.state === 'running' && this.redriveCompletesOnPoll) {
        this.events = this.events.filter((e) => !r.ids.includes(e.id));
        r.ids.forEach((id) => this.retried.add(id));
        Object.assign(r, {
          state: 'completed',
          retried: r.total,
          remaining: 0,
          finishedAt: '2026-01-01T00:00:05.000Z',
        });
      }
      return { status: 200, body: { redrive: r ? view(r) : null } };
    }
    const body = data as { filter: Record<string, string>; signatureId?: string; rate: number; description: string };
    const signature = body.signatureId ? this.signatureEvents(body.signatureId) : undefined;
    if (signature && signature.events.length === 0) {
      return {
        status: 400,
        body: { error: `invalid redrive: signatureId ${body.signatureId}: no DLQ event has this signature now` },
      };
    }
    const ids = (signature?.events ?? this.matching(body.filter)).map((e) => e.id);
    this.redrive = {
      id: '6f1c9a52-0000-4000-8000-000000000001',
      state: 'running',
      rate: body.rate,
      filter: body.filter,
      description: signature?.sig ? `signature “${signature.sig.signature}”` : body.description,
      signatureId: body.signatureId ?? null,
      matching: ids.length,
      total: ids.length,
      retried: 0,
      failed: 0,
      remaining: ids.length,
      startedBy: this.permissions.user?.login ?? '(no user)',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
      owner: 'grafana-1:1:test',
      heartbeatAt: '2026-01-01T00:00:00.000Z',
      cancelRequestedBy: null,
      reason: null,
      failuresByOutcome: [],
      failures: [],
      ids,
    };
    return { status: 201, body: { redrive: view(this.redrive) } };
  }

  lastEventsQuery(): KiciQuery | undefined {
    return this.queries.filter((q) => q.queryType === 'dlqEvents').at(-1);
  }

  private answer(method: string, path: string, data: unknown): { status: number; body: unknown } {
    if (method === 'POST' && !this.permissions.canRetry) {
      return { status: 403, body: { error: this.permissions.retryReason } };
    }
    if (method === 'DELETE' && !this.permissions.canDiscard) {
      return { status: 403, body: { error: this.permissions.discardReason } };
    }
    if (path === 'dlq/permissions') {
      return { status: 200, body: this.permissions };
    }
    if (path === 'dlq/retry' && method === 'POST') {
      const body = data as { ids?: string[]; filter?: Record<string, string>; dryRun?: boolean };
      if (body.dryRun) {
        const ids = this.matching(body.filter ?? {}).map((e) => e.id);
        return {
          status: 200,
          body: { dryRun: true, ids: ids.slice(0, 100), count: Math.min(100, ids.length), matching: ids.length },
        };
      }
      const results = (body.ids ?? []).map((id) => {
        const ok = this.events.some((e) => e.id === id);
        this.events = this.events.filter((e) => e.id !== id);
        return {
          id,
          ok,
          status: ok ? 200 : 404,
          outcome: ok ? 'retried' : 'not_found',
          message: ok
            ? `event ${id} is back in the queue`
            : `event ${id} is not in the DLQ: it was already retried or discarded, or never failed`,
        };
      });
      const succeeded = results.filter((r) => r.ok).length;
      return {
        status: 200,
        body: {
          requested: results.length,
          succeeded,
          failed: results.length - succeeded,
          skipped: 0,
          stoppedReason: null,
          results,
        },
      };
    }
    const sigPath = /^dlq\/signatures\/([^/]+)\/events$/.exec(path);
    if (sigPath && method === 'GET') {
      const { events } = this.signatureEvents(sigPath[1]);
      return events.length === 0
        ? { status: 404, body: { error: `no DLQ event has signature ${sigPath[1]} now` } }
        : {
            status: 200,
            body: {
              count: events.length,
              ids: events.map((e) => e.id),
              events: events.map((e) => ({
                id: e.id,
                eventName: e.eventName,
                routingKey: e.sourceRoutingKey,
                dlqAt: e.dlqAt,
              })),
            },
          };
    }
    if (path === 'dlq/redrive' || path.startsWith('dlq/redrive/')) {
      return this.answerRedrive(method, path, data);
    }
    const m = /^dlq\/([^/]+)(\/retry)?$/.exec(path);
    if (!m) {
      return { status: 404, body: { error: `no route ${method} ${path}` } };
    }
    const id = decodeURIComponent(m[1]);
    const event = this.events.find((e) => e.id === id);
    if (method === 'GET' && !event && this.retried.has(id)) {
      return { status: 404, body: { error: `event ${id} is not in the DLQ: it is waiting for dispatch (attempt 0)` } };
    }
    if (method === 'GET') {
      return event
        ? { status: 200, body: event }
        : {
            status: 404,
            body: { error: `event ${id} not found: it is not in kici_events (discarded, or expired after its TTL)` },
          };
    }
    if (!event) {
      return {
        status: 404,
        body: { error: `event ${id} is not in the DLQ: it was already retried or discarded, or never failed` },
      };
    }
    this.events = this.events.filter((e) => e.id !== id);
    if (m[2]) {
      this.retried.add(id);
    }
    return m[2]
      ? {
          status: 200,
          body: {
            id,
            action: 'retry',
            outcome: 'retried',
            message: `event ${id} is back in the queue (attempts reset to 0; the orchestrator re-dispatches it now)`,
            orchestrator: 'http://orch-a:4000',
          },
        }
      : {
          status: 200,
          body: {
            id,
            action: 'discard',
            outcome: 'discarded',
            message: `event ${id} was discarded (deleted from kici_events)`,
            orchestrator: 'http://orch-a:4000',
          },
        };
  }

  /** For `setBackendSrv`: only `fetch` to `/api/datasources/uid/<uid>/resources/<path>` is used by the page. */
  backendSrv(uid: string): BackendSrv {
    const prefix = `/api/datasources/uid/${uid}/resources/`;
    const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => {
      const method = options.method ?? 'GET';
      if (!options.url.startsWith(prefix)) {
        return throwError(() => ({ status: 404, data: { message: 'not found' }, config: options }) as FetchError);
      }
      const path = options.url.slice(prefix.length);
      this.calls.push({ method, path, ...(options.data !== undefined ? { data: options.data } : {}) });
      const { status, body } = this.answer(method, path, options.data);
      if (status >= 400) {
        return throwError(() => ({ status, statusText: 'error', data: body, config: options }) as FetchError);
      }
      return of({ data: body as T, status, statusText: 'OK', ok: true, config: options } as FetchResponse<T>);
    };
    return { fetch } as unknown as BackendSrv;
  }

  mutations(): ResourceCall[] {
    return this.calls.filter((c) => c.method !== 'GET');
  }
}

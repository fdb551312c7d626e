import { PluginError } from '../../protocol/types';
import { detailBody, notInDlqMessage, parseBulkBody, requireEventId, type DlqDetailRow } from './detail';

const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';
const body = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof PluginError ? err.status : -1;
  }
  return undefined;
}

const row: DlqDetailRow = {
  id: ID,
  event_name: 'deploy-complete',
  payload: { env: 'prod' },
  source_repo: 'acme/api',
  source_routing_key: 'github:42',
  source_run_id: null,
  source_job_id: null,
  chain_depth: 0,
  processed: true,
  created_at: new Date('2026-11-24T06:10:01.114Z'),
  expires_at: new Date('2026-12-01T06:10:01.114Z'),
  target_repos: null,
  claimed_at: null,
  claimed_by: null,
  attempts: 5,
  last_error: `${'x'.repeat(4096)}...[truncated]`,
  next_retry_at: null,
  dlq_at: new Date('2026-11-24T06:11:17.907Z'),
  dlq_reason: 'exhausted_retries',
};

describe('event ids', () => {
  it('accepts a UUID (lower-cased) and refuses anything else with a 400', () => {
    expect(requireEventId(ID.toUpperCase())).toBe(ID);
    expect(status(() => requireEventId("1' OR '1'='1"))).toBe(400);
    expect(() => requireEventId('nope')).toThrow('"nope" is not an event id (a UUID)');
  });
});

describe('detailBody', () => {
  it('returns every field with ISO times and flags KiCI-truncated errors', () => {
    const b = detailBody(row);
    expect(b).toMatchObject({
      id: ID,
      payload: { env: 'prod' },
      attempts: 5,
      dlqAt: '2026-11-24T06:11:17.907Z',
      expiresAt: '2026-12-01T06:10:01.114Z',
      claimedAt: null,
      lastErrorTruncatedByKici: true,
    });
    expect(b.lastError).toHaveLength(4096 + '...[truncated]'.length);
  });

  it('explains why an existing event is not in the DLQ', () => {
    expect(
      notInDlqMessage({
        ...row,
        dlq_at: null,
        processed: false,
        claimed_at: new Date(),
        claimed_by: 'orch-a',
        attempts: 1,
      })
    ).toBe(`event ${ID} is not in the DLQ: it is being dispatched by orch-a (attempt 1)`);
    expect(notInDlqMessage({ ...row, dlq_at: null })).toBe(`event ${ID} is not in the DLQ: it was processed`);
  });
});

describe('parseBulkBody', () => {
  it('takes de-duplicated ids', () => {
    expect(parseBulkBody(body({ ids: [ID, ID.toUpperCase()] }))).toEqual({ kind: 'ids', ids: [ID], dryRun: false });
  });

  it('keeps a routing key exactly as stored, spaces included (issue 14 item 7)', () => {
    expect(parseBulkBody(body({ filter: { routingKey: ' github:42  ' } }))).toMatchObject({
      filter: { routingKey: ' github:42  ' },
    });
  });

  it('takes a filter with times as ISO or epoch ms', () => {
    expect(
      parseBulkBody(
        body({ filter: { routingKey: 'github:42', from: 0, to: '2026-11-24T06:00:00Z' }, limit: 10, dryRun: true })
      )
    ).toEqual({
      kind: 'filter',
      filter: { routingKey: 'github:42', from: '1970-01-01T00:00:00.000Z', to: '2026-11-24T06:00:00.000Z' },
      limit: 10,
      dryRun: true,
    });
  });

  it.each([
    ['not JSON', '{', /the body is not JSON/],
    ['empty', '', /invalid bulk retry/],
    ['both ids and filter', { ids: [ID], filter: {} }, /either "ids" or "filter"/],
    ['neither', {}, /either "ids" or "filter"/],
    ['a bad id', { ids: [ID, "x'; DROP TABLE kici_events; --"] }, /not event ids \(UUIDs\): x'; DROP/],
    [
      'over 100 ids',
      { ids: Array.from({ length: 101 }, (_, i) => ID.slice(0, -3) + String(i).padStart(3, '0')) },
      /at most 100 ids per request, got 101/,
    ],
    ['a limit over 100', { filter: {}, limit: 101 }, /limit/],
    ['an unknown filter key', { filter: { payload: 'x' } }, /filter/],
    ['a time past 9999-12-31', { filter: { to: 8.7e15 } }, /invalid bulk retry: filter.to: /],
    ['an ISO time past 9999-12-31', { filter: { from: '+275760-09-13T00:00:00Z' } }, /invalid bulk retry: filter.from/],
  ])('refuses %s with a 400', (_what, input, message) => {
    expect(status(() => parseBulkBody(body(input)))).toBe(400);
    expect(() => parseBulkBody(body(input))).toThrow(message);
  });
});

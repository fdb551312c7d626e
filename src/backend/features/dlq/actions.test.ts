import { KiciSourceError, type KiciFailure } from '../../kici/errors';
import { describeMutationError, kiciErrorText, mutateDlqEvent, retryBatch, type DlqMutator } from './actions';

const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';

/** An error exactly as HttpSource builds it for a KiCI `{"error": …}` answer. */
function httpError(failure: KiciFailure, status: number | undefined, kici?: string, target = 'http://orch-a:4000') {
  const route = `POST /api/v1/admin/event-dlq/${ID}/retry`;
  const tail = status !== undefined ? `HTTP ${status}${kici ? `: ${kici}` : ''}` : 'cannot connect (ECONNREFUSED)';
  return new KiciSourceError(`${target} ${route}: ${tail}`, { source: 'orchestrator', failure, target, route, status });
}

describe('describeMutationError', () => {
  it('turns the auditor 403 into the token-role reason and stops a batch', () => {
    const v = describeMutationError(
      httpError('forbidden', 403, 'Role "auditor" does not have permission "event_dlq.manage"'),
      'retry',
      ID
    );
    expect(v).toEqual({
      status: 403,
      outcome: 'refused',
      message:
        'the configured admin token has role auditor, which cannot manage the DLQ (KiCI: Role "auditor" does not have permission "event_dlq.manage"); use an admin or owner token',
      definitive: true,
      stopBatch: true,
    });
  });

  it('a routing-key mismatch is per event: refused, but the batch goes on', () => {
    const v = describeMutationError(
      httpError(
        'forbidden',
        403,
        'Access denied: token is restricted to a single routing key and this request targets a different one'
      ),
      'discard',
      ID
    );
    expect(v).toMatchObject({ status: 403, outcome: 'refused', definitive: true, stopBatch: false });
    expect(v.message).toContain('restricted to one routing key');
  });

  it("KiCI's 404 is a clear not-in-the-DLQ; a plain 404 means no admin API on that node (try the next)", () => {
    expect(describeMutationError(httpError('not-found', 404, 'DLQ event not found'), 'retry', ID)).toMatchObject({
      status: 404,
      outcome: 'not_found',
      message: `event ${ID} is not in the DLQ: it was already retried or discarded, or never failed`,
      definitive: true,
    });
    expect(describeMutationError(httpError('not-found', 404, '404 Not Found'), 'retry', ID)).toMatchObject({
      outcome: 'unavailable',
      definitive: false,
    });
  });

  it('401 becomes a 502 (never 401 to Grafana) naming the token problem', () => {
    const v = describeMutationError(httpError('auth', 401, 'Invalid or expired token'), 'retry', ID);
    expect(v.status).toBe(502);
    expect(v.message).toContain('rejected the configured admin token (Invalid or expired token)');
    expect(v.stopBatch).toBe(true);
  });

  it('400 is a malformed id; unreachable and 5xx let the next node try', () => {
    expect(
      describeMutationError(httpError('http', 400, 'Invalid request: malformed value for a typed field'), 'retry', ID)
    ).toMatchObject({ status: 400, outcome: 'invalid', definitive: true });
    expect(describeMutationError(httpError('unreachable', undefined), 'retry', ID)).toMatchObject({
      outcome: 'unavailable',
      definitive: false,
    });
    expect(describeMutationError(httpError('http', 500, 'Internal server error'), 'retry', ID).definitive).toBe(false);
  });

  it('reads KiCI error text after the status', () => {
    expect(kiciErrorText(httpError('not-found', 404, 'DLQ event not found'))).toBe('DLQ event not found');
    expect(kiciErrorText(httpError('unreachable', undefined))).toBe('');
  });
});

/** A stand-in node: answers from a script of outcomes and records what it was asked. */
function node(baseUrl: string, answer: (id: string) => Error | null): DlqMutator & { calls: string[] } {
  const calls: string[] = [];
  const run = async (kind: string, id: string) => {
    calls.push(`${kind} ${id}`);
    const err = answer(id);
    if (err) {
      throw err;
    }
    return {};
  };
  return { baseUrl, calls, dlqRetry: (id) => run('retry', id), dlqDiscard: (id) => run('discard', id) };
}

const signal = new AbortController().signal;

describe('mutateDlqEvent', () => {
  it('skips a node that is down and answers from the next', async () => {
    const down = node('http://a', () => httpError('unreachable', undefined, undefined, 'http://a'));
    const up = node('http://b', () => null);
    const r = await mutateDlqEvent([down, up], 'discard', ID, signal);
    expect(r).toMatchObject({ ok: true, status: 200, outcome: 'discarded', orchestrator: 'http://b' });
    expect(down.calls).toEqual([`discard ${ID}`]);
    expect(up.calls).toEqual([`discard ${ID}`]);
  });

  it('stops at the first definitive refusal', async () => {
    const a = node('http://a', () => httpError('not-found', 404, 'DLQ event not found'));
    const b = node('http://b', () => null);
    const r = await mutateDlqEvent([a, b], 'retry', ID, signal);
    expect(r).toMatchObject({ ok: false, status: 404, outcome: 'not_found', orchestrator: 'http://a' });
    expect(b.calls).toEqual([]);
  });

  it('says so when no node answers, and when none is configured', async () => {
    const a = node('http://a', () => httpError('unreachable', undefined, undefined, 'http://a'));
    const r = await mutateDlqEvent([a], 'retry', ID, signal);
    expect(r).toMatchObject({ ok: false, status: 502, outcome: 'unavailable', stopBatch: true });
    expect(r.message).toMatch(/^no orchestrator could retry event .*ECONNREFUSED/);
    expect((await mutateDlqEvent([], 'retry', ID, signal)).message).toContain('orchestratorUrls');
  });
});

describe('retryBatch', () => {
  const ids = ['a', 'b', 'c', 'd'].map((c) => ID.slice(0, -1) + c);

  it('retries one after another and reports each id', async () => {
    const n = node('http://a', (id) => (id === ids[1] ? httpError('not-found', 404, 'DLQ event not found') : null));
    const r = await retryBatch([n], ids, { signal, paceMs: 0 });
    expect(n.calls).toEqual(ids.map((id) => `retry ${id}`));
    expect(r).toMatchObject({ requested: 4, succeeded: 3, failed: 1, skipped: 0, stoppedReason: null });
    expect(r.results.map((x) => x.outcome)).toEqual(['retried', 'not_found', 'retried', 'retried']);
  });

  it('stops on an auth refusal and marks the rest not attempted', async () => {
    const n = node('http://a', (id) =>
      id === ids[1] ? httpError('forbidden', 403, 'Role "auditor" does not have permission "event_dlq.manage"') : null
    );
    const r = await retryBatch([n], ids, { signal, paceMs: 0 });
    expect(n.calls).toHaveLength(2);
    expect(r).toMatchObject({ succeeded: 1, failed: 1, skipped: 2 });
    expect(r.stoppedReason).toContain('role auditor');
    expect(r.results.slice(2).map((x) => [x.outcome, x.status])).toEqual([
      ['skipped', null],
      ['skipped', null],
    ]);
  });
});

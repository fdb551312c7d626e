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

describe('describeMutationError: every answer the user reads', () => {
  it('no admin token: a 400 naming adminToken, and a batch stops', () => {
    expect(describeMutationError(httpError('not-configured', undefined), 'discard', ID)).toEqual({
      status: 400,
      outcome: 'not_configured',
      message:
        'cannot discard: no admin token is configured (adminToken); DLQ actions go through the orchestrator admin API',
      definitive: true,
      stopBatch: true,
    });
  });

  it('a 401 stops the failover: the next node would reject the same token', () => {
    expect(describeMutationError(httpError('auth', 401, 'Invalid or expired token'), 'retry', ID)).toEqual({
      status: 502,
      outcome: 'refused',
      message:
        'the orchestrator rejected the configured admin token (Invalid or expired token): it is invalid, revoked or expired; create one with kici-admin token create --role admin',
      definitive: true,
      stopBatch: true,
    });
    expect(describeMutationError(httpError('auth', 401), 'retry', ID).message).toBe(
      'the orchestrator rejected the configured admin token (HTTP 401): it is invalid, revoked or expired; create one with kici-admin token create --role admin'
    );
  });

  it('a routing-key refusal names the event and does not stop a batch', () => {
    expect(
      describeMutationError(httpError('forbidden', 403, 'Token is bound to one Routing Key'), 'retry', ID)
    ).toEqual({
      status: 403,
      outcome: 'refused',
      message: `the configured admin token is restricted to one routing key, and event ${ID} belongs to another (or to none); use an unscoped admin token`,
      definitive: true,
      stopBatch: false,
    });
  });

  it('any other 403 quotes KiCI (or the status) and stops a batch', () => {
    const quoted = 'Forbidden: Role "auditor" does not have permission "event_dlq.manage" here';
    expect(describeMutationError(httpError('forbidden', 403, quoted), 'discard', ID)).toEqual({
      status: 403,
      outcome: 'refused',
      message: `the orchestrator refused to discard event ${ID}: ${quoted}`,
      definitive: true,
      stopBatch: true,
    });
    expect(describeMutationError(httpError('forbidden', 403), 'retry', ID).message).toBe(
      `the orchestrator refused to retry event ${ID}: HTTP 403`
    );
    // KiCI's role refusal is the whole text; the same words inside a longer one are not it
    const prefixed = 'Forbidden: Role "auditor" does not have permission "event_dlq.manage"';
    expect(describeMutationError(httpError('forbidden', 403, prefixed), 'retry', ID).message).toBe(
      `the orchestrator refused to retry event ${ID}: ${prefixed}`
    );
    const longer = 'Role "auditor" does not have permission "event_dlq.manage" on this cluster';
    expect(describeMutationError(httpError('forbidden', 403, longer), 'retry', ID).message).toBe(
      `the orchestrator refused to retry event ${ID}: ${longer}`
    );
  });

  it('a plain 404 names the node without an admin API and lets the next one try', () => {
    expect(
      describeMutationError(httpError('not-found', 404, '404 Not Found', 'http://orch-b:4000'), 'retry', ID)
    ).toEqual({
      status: 502,
      outcome: 'unavailable',
      message:
        'http://orch-b:4000 has no DLQ admin API (it is mounted only when the orchestrator has secrets management configured)',
      definitive: false,
      stopBatch: false,
    });
  });

  it('a 400 is per event; a 5xx or a timeout is the node’s, with its own message', () => {
    expect(describeMutationError(httpError('http', 400, 'Invalid request'), 'retry', ID)).toEqual({
      status: 400,
      outcome: 'invalid',
      message: `the orchestrator refused event id ${ID} as malformed (Invalid request)`,
      definitive: true,
      stopBatch: false,
    });
    expect(describeMutationError(httpError('http', 400), 'retry', ID).message).toBe(
      `the orchestrator refused event id ${ID} as malformed (HTTP 400)`
    );
    const e500 = httpError('http', 503, 'Service unavailable');
    expect(describeMutationError(e500, 'retry', ID)).toEqual({
      status: 502,
      outcome: 'unavailable',
      message: e500.message,
      definitive: false,
      stopBatch: false,
    });
    const timeout = httpError('timeout', undefined);
    expect(describeMutationError(timeout, 'retry', ID)).toEqual({
      status: 502,
      outcome: 'unavailable',
      message: timeout.message,
      definitive: false,
      stopBatch: false,
    });
  });

  it('a cancelled request is a 499 that stops everything', () => {
    expect(describeMutationError(httpError('cancelled', undefined), 'discard', ID)).toEqual({
      status: 499,
      outcome: 'error',
      message: `discard of ${ID} was cancelled`,
      definitive: true,
      stopBatch: true,
    });
  });

  it('an error that is not a source error is a 500 with its message', () => {
    expect(describeMutationError(new TypeError('boom'), 'retry', ID)).toEqual({
      status: 500,
      outcome: 'error',
      message: 'retry failed: boom',
      definitive: true,
      stopBatch: true,
    });
  });

  it('keeps a multi-line KiCI error whole', () => {
    expect(kiciErrorText(httpError('http', 400, 'Invalid request:\nid: malformed'))).toBe(
      'Invalid request:\nid: malformed'
    );
  });
});

describe('mutateDlqEvent: outcomes', () => {
  it('with no orchestrator configured nothing succeeds, and a batch stops', async () => {
    expect(await mutateDlqEvent([], 'discard', ID, signal)).toEqual({
      id: ID,
      action: 'discard',
      ok: false,
      status: 400,
      outcome: 'not_configured',
      message: 'cannot discard: no orchestrator URL is configured (orchestratorUrls)',
      stopBatch: true,
    });
  });

  it('a retry reports the event back in the queue, from the node that did it', async () => {
    expect(await mutateDlqEvent([node('http://a', () => null)], 'retry', ID, signal)).toEqual({
      id: ID,
      action: 'retry',
      ok: true,
      status: 200,
      outcome: 'retried',
      message: `event ${ID} is back in the queue (attempts reset to 0; the orchestrator re-dispatches it now)`,
      orchestrator: 'http://a',
      stopBatch: false,
    });
    const d = await mutateDlqEvent([node('http://a', () => null)], 'discard', ID, signal);
    expect([d.ok, d.outcome, d.message]).toEqual([
      true,
      'discarded',
      `event ${ID} was discarded (deleted from kici_events)`,
    ]);
  });

  it('a 401 stops the failover: the next node is not asked', async () => {
    const a = node('http://a', () => httpError('auth', 401, 'Invalid or expired token', 'http://a'));
    const b = node('http://b', () => null);
    const r = await mutateDlqEvent([a, b], 'retry', ID, signal);
    expect(r).toMatchObject({ ok: false, status: 502, outcome: 'refused', orchestrator: 'http://a', stopBatch: true });
    expect(b.calls).toEqual([]);
  });

  it('a node that timed out, then "not in the DLQ" from the next: warns that the first may have applied it', async () => {
    const a = node('http://a', () => httpError('timeout', undefined, undefined, 'http://a'));
    const b = node('http://b', () => httpError('not-found', 404, 'DLQ event not found', 'http://b'));
    expect(await mutateDlqEvent([a, b], 'retry', ID, signal)).toEqual({
      id: ID,
      action: 'retry',
      ok: false,
      status: 404,
      outcome: 'not_found',
      message: `event ${ID} is not in the DLQ: it was already retried or discarded, or never failed — http://a timed out on the same request and may have applied it`,
      orchestrator: 'http://b',
      stopBatch: false,
    });
  });

  it('the may-have-applied warning is only for "not in the DLQ": a timeout then a 401 is the token problem alone', async () => {
    const a = node('http://a', () => httpError('timeout', undefined, undefined, 'http://a'));
    const b = node('http://b', () => httpError('auth', 401, 'Invalid or expired token', 'http://b'));
    expect((await mutateDlqEvent([a, b], 'retry', ID, signal)).message).toBe(
      'the orchestrator rejected the configured admin token (Invalid or expired token): it is invalid, revoked or expired; create one with kici-admin token create --role admin'
    );
  });

  it('no such warning when the first node was merely unreachable', async () => {
    const a = node('http://a', () => httpError('unreachable', undefined, undefined, 'http://a'));
    const b = node('http://b', () => httpError('not-found', 404, 'DLQ event not found', 'http://b'));
    expect((await mutateDlqEvent([a, b], 'retry', ID, signal)).message).toBe(
      `event ${ID} is not in the DLQ: it was already retried or discarded, or never failed`
    );
  });

  it('lists every node’s failure when none answers', async () => {
    const ea = httpError('unreachable', undefined, undefined, 'http://a');
    const eb = httpError('http', 503, 'busy', 'http://b');
    const r = await mutateDlqEvent([node('http://a', () => ea), node('http://b', () => eb)], 'discard', ID, signal);
    expect(r).toEqual({
      id: ID,
      action: 'discard',
      ok: false,
      status: 502,
      outcome: 'unavailable',
      message: `no orchestrator could discard event ${ID}: ${ea.message}; ${eb.message}`,
      stopBatch: true,
    });
  });
});

describe('retryBatch: pace and cancellation', () => {
  const ids = ['a', 'b', 'c'].map((c) => ID.slice(0, -1) + c);
  afterEach(() => jest.useRealTimers());

  it('pauses 50 ms between retries by default, not before the first', async () => {
    jest.useFakeTimers();
    const n = node('http://a', () => null);
    const done = retryBatch([n], ids, { signal });
    done.catch(() => undefined); // a failure is reported by the await below, not as an unhandled rejection
    await jest.advanceTimersByTimeAsync(0);
    expect(n.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(49);
    expect(n.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(n.calls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(50);
    expect((await done).succeeded).toBe(3);
  });

  it('with paceMs 0 it does not wait at all', async () => {
    jest.useFakeTimers();
    const n = node('http://a', () => null);
    let outcome = 'pending';
    retryBatch([n], ids, { signal, paceMs: 0 }).then(
      () => (outcome = 'done'),
      (e: unknown) => (outcome = `failed: ${String(e)}`)
    );
    for (let i = 0; i < 20; i++) {
      await Promise.resolve();
    }
    expect(n.calls).toHaveLength(3);
    expect(outcome).toBe('done');
  });

  it('a cancelled request attempts nothing more and says why', async () => {
    const ac = new AbortController();
    const n = node('http://a', () => null);
    const seen: string[] = [];
    const r = await retryBatch([n], ids, {
      signal: ac.signal,
      paceMs: 0,
      onResult: (x) => {
        seen.push(x.id);
        ac.abort();
      },
    });
    expect(seen).toEqual([ids[0]]);
    expect(r).toEqual({
      requested: 3,
      succeeded: 1,
      failed: 0,
      skipped: 2,
      stoppedReason: 'the request was cancelled',
      results: [
        {
          id: ids[0],
          ok: true,
          status: 200,
          outcome: 'retried',
          message: expect.stringContaining('back in the queue'),
        },
        {
          id: ids[1],
          ok: false,
          status: null,
          outcome: 'skipped',
          message: 'not attempted: the request was cancelled',
        },
        {
          id: ids[2],
          ok: false,
          status: null,
          outcome: 'skipped',
          message: 'not attempted: the request was cancelled',
        },
      ],
    });
  });

  it('a stop keeps the first reason, not "cancelled", even if the request is cancelled later', async () => {
    const ac = new AbortController();
    const n = node('http://a', () => httpError('auth', 401));
    const r = await retryBatch([n], ids, { signal: ac.signal, paceMs: 0, onResult: () => ac.abort() });
    expect(r.stoppedReason).toMatch(/^the orchestrator rejected the configured admin token/);
    expect(r.results[1].message).toBe(`not attempted: ${r.stoppedReason}`);
    expect([r.failed, r.skipped]).toEqual([1, 2]);
  });
});

// Asking several orchestrators the same read-only question at once: the first answer wins and the rest are
// cancelled. Only for idempotent reads (GET): a mutation sent to two nodes may be applied twice, so mutations keep
// their serial failover (dlq/actions.ts mutateDlqEvent, secret-backends onFirstAnswering).
import type { OrchestratorClient } from '../kici/orchestrator';

/**
 * Runs `fn` on every client at once (bounded by the list itself, which callers cap). Resolves with the first
 * result, or the first error `decisive` accepts as an answer (e.g. a 403 is the node's answer); rejects with the
 * last error when no node answers. The losers' requests are aborted.
 */
export function firstAnswer<T>(
  clients: readonly OrchestratorClient[],
  fn: (c: OrchestratorClient, signal: AbortSignal) => Promise<T>,
  decisive: (err: unknown) => boolean,
  signal: AbortSignal
): Promise<{ client: OrchestratorClient; result?: T; err?: unknown }> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return new Promise<{ client: OrchestratorClient; result?: T; err?: unknown }>((resolve, reject) => {
    let pending = clients.length;
    let lastErr: unknown = new Error('no orchestrator URL is configured');
    if (pending === 0) {
      reject(lastErr);
      return;
    }
    for (const client of clients) {
      fn(client, stop.signal).then(
        (result) => resolve({ client, result }),
        (err) => {
          if (decisive(err) && !stop.signal.aborted) {
            resolve({ client, err });
            return;
          }
          lastErr = err;
          if (--pending === 0) {
            reject(lastErr);
          }
        }
      );
    }
  }).finally(() => {
    signal.removeEventListener('abort', onAbort);
    stop.abort(new Error('another orchestrator answered first'));
  });
}

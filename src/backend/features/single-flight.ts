// Concurrent identical runs of one datasource instance share one run: fifty viewers of the Overview page refreshing
// together probe each orchestrator once, not fifty times (and the plugin keeps one fan-out's promises, timers and
// sockets alive instead of fifty). A caller's signal stops only its own wait; the run is aborted once every caller
// waiting for it has gone, unless it is worth finishing for the next caller (`keepRunning`).
import { KiciSourceError } from '../kici/errors';

interface Flight {
  promise: Promise<unknown>;
  waiters: number;
  keepRunning: boolean;
  /** Aborts the run and forgets it, so that a later caller starts a new one. */
  abandon: (reason: unknown) => void;
}

const flights = new WeakMap<object, Map<string, Flight>>();

export function shareRun<T>(
  owner: object,
  key: string,
  signal: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
  opts: { keepRunning?: boolean } = {}
): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(cancelled());
  }
  let running = flights.get(owner);
  if (!running) {
    running = new Map();
    flights.set(owner, running);
  }
  let flight = running.get(key);
  if (!flight) {
    const stop = new AbortController();
    const forget = () => {
      if (running.get(key) === f) {
        running.delete(key);
      }
    };
    const f: Flight = {
      promise: run(stop.signal),
      waiters: 0,
      keepRunning: opts.keepRunning ?? false,
      abandon: (reason) => {
        forget();
        stop.abort(reason);
      },
    };
    f.promise.then(forget, forget);
    running.set(key, f);
    flight = f;
  }
  return wait(flight, signal) as Promise<T>;
}

function wait(flight: Flight, signal: AbortSignal): Promise<unknown> {
  flight.waiters++;
  return new Promise((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      settled = true;
      if (--flight.waiters === 0 && !flight.keepRunning) {
        flight.abandon(signal.reason);
      }
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (then: () => void) => {
      signal.removeEventListener('abort', onAbort);
      if (!settled) {
        flight.waiters--;
        then();
      }
    };
    flight.promise.then(
      (v) => finish(() => resolve(v)),
      (err) => finish(() => reject(err))
    );
  });
}

function cancelled(): KiciSourceError {
  return new KiciSourceError('the request was cancelled', { source: 'orchestrator', failure: 'cancelled', target: '' });
}

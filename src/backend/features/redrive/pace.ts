// Rate pacing for a redrive, as AWS SQS's DLQ redrive paces its move task: events leave at no more than `rate` per
// second, evenly spaced, and a slow orchestrator never makes the next ones burst to catch up. Requests overlap (a
// bounded number in flight) so an orchestrator round trip does not cap the rate. Pure, with the clock injected so
// tests measure the pacing in virtual time.

export interface Clock {
  now(): number;
  /** Resolves after `ms` (at once for ms <= 0); a real clock may resolve early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  // Monotonic and sub-millisecond: whole milliseconds could let 1000 ms measured be 999.4 ms real (one event too many).
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export const DEFAULT_RATE = 10;
export const MAX_RATE = 500;

export function intervalMs(rate: number): number {
  return 1000 / rate;
}

/**
 * Timer lateness made up, at most: a timer that fires late (a busy event loop fires a 2 ms timer after 3–4 ms) would
 * otherwise cap 500/s near 300/s. A longer stall is not made up, so it never turns into a burst.
 */
export const CATCH_UP_MS = 20;

/**
 * Kept to spare by the one-second bound: an event leaves the pacer a hop before its request leaves the process, and
 * that hop varies (other callbacks run in between), so two requests `rate` apart could otherwise be 999.9 ms apart.
 */
export const WINDOW_MARGIN_MS = 5;

/**
 * The slots of a redrive's events: evenly spaced on a grid of one interval, a late timer's lag made up within
 * CATCH_UP_MS, and never more than `rate` events in any one-second window: an event leaves no earlier than one second
 * after the `rate`-th event before it (the bound holds whatever the timers do). Pure state; times in ms.
 */
export class Pacer {
  private grid: number | null = null;
  private lastAt: number | null = null;
  /** When the last `rate` events left, oldest first. */
  private readonly recent: number[] = [];

  constructor(readonly rate: number) {}

  /** The next event's place on the grid (before the one-second bound), given the time now. */
  slot(now: number): number {
    const interval = intervalMs(this.rate);
    if (this.grid !== null) {
      return Math.max(this.grid + interval, now - CATCH_UP_MS);
    }
    return this.lastAt !== null ? Math.max(this.lastAt + interval, now) : now;
  }

  /** When the event of `slot` may leave: not before it, nor within one second of the `rate`-th event before it. */
  earliest(slot: number): number {
    return this.recent.length >= this.rate ? Math.max(slot, this.recent[0] + 1000 + WINDOW_MARGIN_MS) : slot;
  }

  /** When the next event may leave, given the time now (at or before `now`: at once). */
  next(now: number): number {
    return this.earliest(this.slot(now));
  }

  /**
   * The event of grid slot `slot` left at `at`. The grid keeps the slot, not `at`: a delay by the one-second bound
   * (which carries a late timer over from the event `rate` before) is made up like a late timer, within CATCH_UP_MS.
   */
  record(slot: number, at: number): void {
    this.grid = slot;
    this.lastAt = at;
    this.recent.push(at);
    if (this.recent.length > this.rate) {
      this.recent.shift();
    }
  }

  /**
   * After a wait that was not the pacing's own (every retry in flight): nothing is made up, the next event leaves one
   * interval after the last one or now, whichever is later.
   */
  restart(): void {
    this.grid = null;
  }
}

/** Sleeps until the pacer's next slot and records the event as leaving then; returns that time. */
export async function waitForSlot(clock: Clock, pacer: Pacer, signal?: AbortSignal): Promise<number> {
  const slot = pacer.slot(clock.now());
  const leave = pacer.earliest(slot);
  // A timer may round a fractional delay down: wait again until the time has really come.
  while (clock.now() < leave && !signal?.aborted) {
    await clock.sleep(leave - clock.now(), signal);
  }
  const at = clock.now();
  pacer.record(slot, at);
  return at;
}

/** At most this many retries in flight at once, whatever the rate. */
export const MAX_IN_FLIGHT = 32;

/**
 * Retries in flight for a rate: a quarter second's worth (so round trips up to 250 ms still reach the rate), at least
 * one, at most MAX_IN_FLIGHT (at 500/s round trips up to 64 ms reach it).
 */
export function inFlightFor(rate: number): number {
  return Math.min(MAX_IN_FLIGHT, Math.max(1, Math.ceil(rate / 4)));
}

export interface PacedRun<T, R> {
  rate: number;
  maxInFlight: number;
  clock: Clock;
  /** Aborted: nothing more is sent, and outcomes of requests still in flight are not settled (unknown). */
  signal?: AbortSignal;
  send(item: T): Promise<R>;
  /** Each outcome as it arrives (any order); false sends nothing more (the ones in flight still settle). */
  settle(item: T, r: R): boolean;
  /** Before each send (e.g. a progress write that may see a cancel); false sends nothing more. */
  beforeSend?(): Promise<boolean>;
}

/**
 * Sends `items` in order, each at its slot (`Pacer`: the rate is an upper bound over any one-second window), with
 * at most `maxInFlight` unsettled, and resolves once every sent one has settled. `sent` counts the items sent;
 * `stopped` says whether `settle` or `beforeSend` stopped it before the end.
 */
export async function runPaced<T, R>(
  items: readonly T[],
  o: PacedRun<T, R>
): Promise<{ sent: number; stopped: boolean }> {
  const inFlight = new Set<Promise<void>>();
  const pacer = new Pacer(o.rate);
  let stopped = false;
  let failure: { err: unknown } | null = null;
  let sent = 0;
  const halted = () => stopped || failure !== null || Boolean(o.signal?.aborted);
  for (const item of items) {
    if (inFlight.size >= o.maxInFlight) {
      while (inFlight.size >= o.maxInFlight) {
        await Promise.race(inFlight);
      }
      pacer.restart();
    }
    if (halted()) {
      break;
    }
    if (o.beforeSend && !(await o.beforeSend())) {
      stopped = true;
      break;
    }
    await waitForSlot(o.clock, pacer, o.signal);
    if (halted()) {
      break;
    }
    sent++;
    const p: Promise<void> = o
      .send(item)
      .then(
        (r) => {
          if (!o.signal?.aborted && !o.settle(item, r)) {
            stopped = true;
          }
        },
        (err: unknown) => {
          failure ??= { err };
        }
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  if (failure) {
    throw (failure as { err: unknown }).err;
  }
  return { sent, stopped };
}

/** A clock for tests: `sleep` moves virtual time forward at once; `advance` simulates work that takes time. */
export class VirtualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    if (ms > 0) {
      this.t += ms;
    }
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

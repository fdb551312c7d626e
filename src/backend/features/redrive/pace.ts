// Rate pacing for a redrive, as AWS SQS's DLQ redrive paces its move task: events leave at no more than `rate` per
// second, evenly spaced, and a slow orchestrator never makes the next ones burst to catch up. Pure, with the clock
// injected so tests measure the pacing in virtual time.

export interface Clock {
  now(): number;
  /** Resolves after `ms` (at once for ms <= 0); a real clock may resolve early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
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
 * When the next event may leave: at once for the first, else one interval after the previous slot — or now, when the
 * previous request took longer than the interval (no catching up, so the rate is an upper bound over any window).
 */
export function nextSlot(previousSlot: number | null, now: number, rate: number): number {
  if (previousSlot === null) {
    return now;
  }
  return Math.max(now, previousSlot + intervalMs(rate));
}

/**
 * Sleeps until the next slot and returns the time the event really leaves: the next slot counts from it, so a timer
 * that fires late never lets two events leave closer than one interval (the rate holds in any one-second window).
 */
export async function waitForSlot(
  clock: Clock,
  previousSlot: number | null,
  rate: number,
  signal?: AbortSignal
): Promise<number> {
  const slot = nextSlot(previousSlot, clock.now(), rate);
  // A timer may round a fractional delay down: wait again until the slot has really come.
  while (clock.now() < slot && !signal?.aborted) {
    await clock.sleep(slot - clock.now(), signal);
  }
  return clock.now();
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

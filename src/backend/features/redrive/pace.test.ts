import {
  CATCH_UP_MS,
  type Clock,
  inFlightFor,
  intervalMs,
  MAX_IN_FLIGHT,
  MAX_RATE,
  Pacer,
  runPaced,
  VirtualClock,
  waitForSlot,
  WINDOW_MARGIN_MS,
} from './pace';

/** `n` events at `rate` on a punctual clock: one interval apart, plus the one-second bound's margin once per `rate`. */
function idealSpan(n: number, rate: number): number {
  return ((n - 1) * 1000) / rate + Math.floor((n - 1) / rate) * WINDOW_MARGIN_MS;
}

describe('Pacer', () => {
  it('lets the first event go at once and spaces the next ones one interval apart', () => {
    const p = new Pacer(10);
    expect(p.next(1000)).toBe(1000);
    p.record(1000, 1000);
    expect(p.next(1000)).toBe(1100);
    const q = new Pacer(4);
    q.record(1000, 1000);
    expect(q.next(1050)).toBe(1250);
  });

  it(`makes up a late timer's lag within ${CATCH_UP_MS} ms, and no more after a longer stall`, () => {
    const p = new Pacer(500);
    p.record(0, 0);
    // The 2 ms timer fired at 5 ms: the slot was 2, the next is 4 (both leave now), then back on the grid.
    expect(p.next(5)).toBe(2);
    p.record(2, 5);
    expect(p.next(5)).toBe(4);
    p.record(4, 5);
    expect(p.next(5)).toBe(6);
    // A 700 ms stall at 10/s: no burst of six to make up — at most 20 ms of it.
    const q = new Pacer(10);
    q.record(1000, 1000);
    expect(q.next(1700)).toBe(1680);
    q.record(1680, 1700);
    expect(q.next(1700)).toBe(1780);
    // After a wait that was not the pacing's own, nothing is made up, and nothing leaves within an interval.
    q.restart();
    expect(q.next(2500)).toBe(2500);
    expect(q.next(1710)).toBe(1800);
  });

  it('never lets an event leave within one second of the rate-th event before it', () => {
    const p = new Pacer(3);
    // Three events left together at 0 (say after restarts): the fourth waits until 1000 whatever the grid says.
    for (const t of [0, 0, 0]) {
      p.restart();
      p.record(t, t);
    }
    p.restart();
    expect(p.next(10)).toBe(1000 + WINDOW_MARGIN_MS);
  });

  it('has a 2 ms interval at the 500/s maximum', () => {
    expect(intervalMs(MAX_RATE)).toBe(2);
  });
});

describe('waitForSlot with a virtual clock', () => {
  it('holds any one-second window to the rate, whatever the request latency', async () => {
    for (const [rate, latency] of [
      [10, 0],
      [10, 30],
      [7, 250],
      [500, 1],
    ] as const) {
      const clock = new VirtualClock(5_000);
      const sent: number[] = [];
      const pacer = new Pacer(rate);
      for (let i = 0; i < 3 * rate; i++) {
        sent.push(await waitForSlot(clock, pacer));
        clock.advance(latency);
      }
      expect(busiestSecond(sent)).toBeLessThanOrEqual(rate);
      // And it does not crawl either: 3 × rate events take about 3 s when requests are fast.
      if (latency * rate < 1000) {
        expect(sent.at(-1)! - sent[0]).toBeCloseTo(idealSpan(3 * rate, rate), 6);
      }
    }
  });
});

describe('waitForSlot with timers that fire late or early', () => {
  /** Sleeps `ms` plus a scripted error: late by up to 40 ms, or 1 ms short (a fractional delay rounded down). */
  class JitterClock extends VirtualClock {
    private n = 0;
    /** Lateness beyond the catch-up allowance, summed: time the pacing may lose (it does not burst to win it back). */
    beyondAllowance = 0;
    async sleep(ms: number): Promise<void> {
      const errors = [40, 0, -1, 25, 0, 0, -1, 3];
      const err = errors[this.n++ % errors.length];
      this.beyondAllowance += Math.max(0, err - CATCH_UP_MS);
      await super.sleep(Math.max(0, ms + err));
    }
  }

  it('never exceeds the rate in any second, and makes up lateness only within the catch-up allowance', async () => {
    for (const rate of [10, 100, 500]) {
      const clock = new JitterClock(0);
      const sent: number[] = [];
      const pacer = new Pacer(rate);
      for (let i = 0; i < 5 * rate; i++) {
        sent.push(await waitForSlot(clock, pacer));
      }
      expect(busiestSecond(sent)).toBeLessThanOrEqual(rate);
      // A 40 ms late timer is made up for 20 ms at most: never more than that allowance's events (plus the late
      // one and the one due then) leave at one instant.
      expect(busiest(sent, 1e-6)).toBeLessThanOrEqual(Math.floor(CATCH_UP_MS / intervalMs(rate)) + 2);
      // And only lateness beyond the allowance is lost: 5 × rate events in 5 s less one interval, plus that.
      expect(sent.at(-1)! - sent[0]).toBeLessThanOrEqual(idealSpan(5 * rate, rate) + clock.beyondAllowance);
    }
  });

  it('reaches the rate although timers fire late (spacing each event from the late one capped it)', async () => {
    /** Every timer fires 1.5 ms late, as on a busy event loop. */
    class LateClock extends VirtualClock {
      async sleep(ms: number): Promise<void> {
        await super.sleep(ms + 1.5);
      }
    }
    const clock = new LateClock(0);
    const sent: number[] = [];
    const pacer = new Pacer(500);
    for (let i = 0; i < 1500; i++) {
      sent.push(await waitForSlot(clock, pacer));
    }
    // 1500 events at 500/s in 3 s; the one-second bound adds the late 1.5 ms once per 500 events. Spacing each
    // event from when the previous one really left (the old pacing) took 1500 × 3.5 ms = 5.2 s: 286/s.
    expect(((sent.length - 1) * 1000) / (sent.at(-1)! - sent[0])).toBeGreaterThan(497);
    expect(busiestSecond(sent)).toBe(500);
  });
});

/**
 * Discrete-event time for concurrent work: `sleep` registers a timer; `run` lets every promise chain settle (one
 * macrotask), then jumps to the earliest timer, until the work is done. No real time passes.
 */
class EventClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    if (ms <= 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.timers.push({ at: this.t + ms, seq: this.seq++, resolve }));
  }
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true)
    );
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled) {
        return work;
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) {
        throw new Error('deadlock: work pending and no timer');
      }
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

/** Runs `n` sends at `rate` with every request taking `latency(i)` ms; records send times and the most in flight. */
async function simulate(o: {
  n: number;
  rate: number;
  maxInFlight?: number;
  latency: (i: number) => number;
  settle?: (i: number) => boolean;
  abortAt?: number;
}) {
  const clock = new EventClock();
  const sentAt: number[] = [];
  const settledIds: number[] = [];
  let inFlight = 0;
  let peak = 0;
  const abort = new AbortController();
  const items = Array.from({ length: o.n }, (_, i) => i);
  const result = await clock.run(
    runPaced(items, {
      rate: o.rate,
      maxInFlight: o.maxInFlight ?? inFlightFor(o.rate),
      clock,
      signal: abort.signal,
      send: async (i) => {
        sentAt.push(clock.now());
        if (o.abortAt !== undefined && clock.now() >= o.abortAt) {
          abort.abort();
        }
        peak = Math.max(peak, ++inFlight);
        await clock.sleep(o.latency(i));
        inFlight--;
        return i;
      },
      settle: (i) => {
        settledIds.push(i);
        return o.settle ? o.settle(i) : true;
      },
    })
  );
  return { ...result, sentAt, settledIds, peak, end: clock.now() };
}

/** The most sends in any window [t, t + 1 s). */
function busiestSecond(times: number[]): number {
  return busiest(times, 1000);
}

/** The most sends in any window [t, t + windowMs). */
function busiest(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) {
      j++;
    }
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('runPaced: requests overlap within the rate', () => {
  it('reaches the rate when a round trip is longer than the interval (a sequential redrive got 333/s at 500/s)', async () => {
    for (const [rate, latency] of [
      [500, 3],
      [500, 60],
      [100, 200],
      [10, 240],
    ] as const) {
      const n = 3 * rate;
      const r = await simulate({ n, rate, latency: () => latency });
      expect(r.sent).toBe(n);
      // Evenly spaced sends: 3 × rate events leave in 3 s less one interval (and two margins).
      expect(r.sentAt.at(-1)! - r.sentAt[0]).toBeCloseTo(idealSpan(n, rate), 6);
      expect(busiestSecond(r.sentAt)).toBe(rate);
      expect(r.peak).toBeLessThanOrEqual(inFlightFor(rate));
    }
  });

  it('never exceeds the rate in any one-second window, with jittery latencies and timers', async () => {
    for (const rate of [1, 7, 10, 250, 500]) {
      const r = await simulate({ n: 4 * rate + 3, rate, latency: (i) => [0, 900, 3, 45, 1, 2500, 17][i % 7] });
      expect(busiestSecond(r.sentAt)).toBeLessThanOrEqual(rate);
      for (let i = 1; i < r.sentAt.length; i++) {
        expect(r.sentAt[i] - r.sentAt[i - 1]).toBeGreaterThanOrEqual(intervalMs(rate) - 1e-9);
      }
    }
  });

  it('keeps at most maxInFlight unsettled, and then sends no faster than they settle (no burst to catch up)', async () => {
    const r = await simulate({ n: 100, rate: 500, maxInFlight: 4, latency: () => 100 });
    expect(r.peak).toBe(4);
    // 4 per 100 ms round trip: 40/s, far under the rate, and never 4 at once after a wait.
    expect(busiestSecond(r.sentAt)).toBeLessThanOrEqual(40);
    expect(r.end).toBeGreaterThanOrEqual(2400);
  });

  it('a settle that says stop sends nothing more, and the requests in flight still settle', async () => {
    const r = await simulate({ n: 1000, rate: 500, maxInFlight: 8, latency: () => 10, settle: (i) => i !== 20 });
    expect(r.stopped).toBe(true);
    expect(r.sent).toBeLessThan(1000);
    // Every sent request settled (its outcome is kept), in flight or not.
    expect([...r.settledIds].sort((a, b) => a - b)).toEqual(Array.from({ length: r.sent }, (_, i) => i));
  });

  it('an abort sends nothing more and leaves the outcomes of the requests in flight unsettled', async () => {
    const r = await simulate({ n: 1000, rate: 500, latency: () => 50, abortAt: 100 });
    expect(r.sent).toBeLessThan(1000);
    expect(r.settledIds.length).toBeLessThan(r.sent);
    expect(r.sentAt.at(-1)).toBeLessThanOrEqual(100);
  });

  it('sizes the in-flight bound to a quarter second of events, 1..MAX_IN_FLIGHT', () => {
    expect([1, 4, 5, 10, 100, 128, 129, 500].map(inFlightFor)).toEqual([1, 1, 2, 3, 25, 32, MAX_IN_FLIGHT, 32]);
  });
});

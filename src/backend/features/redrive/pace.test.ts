import { intervalMs, MAX_RATE, nextSlot, VirtualClock, waitForSlot } from './pace';

describe('nextSlot', () => {
  it('lets the first event go at once and spaces the next ones one interval apart', () => {
    expect(nextSlot(null, 1000, 10)).toBe(1000);
    expect(nextSlot(1000, 1000, 10)).toBe(1100);
    expect(nextSlot(1000, 1050, 4)).toBe(1250);
  });

  it('never catches up after a slow request: the next slot is now, not in the past', () => {
    // The previous request took 700 ms at 10/s: a burst of six to make up would hit a recovering downstream.
    expect(nextSlot(1000, 1700, 10)).toBe(1700);
    expect(nextSlot(1700, 1700, 10)).toBe(1800);
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
      let slot: number | null = null;
      for (let i = 0; i < 3 * rate; i++) {
        slot = await waitForSlot(clock, slot, rate);
        sent.push(clock.now());
        clock.advance(latency);
      }
      for (let i = 0; i < sent.length; i++) {
        const inWindow = sent.filter((t) => t >= sent[i] && t < sent[i] + 1000).length;
        expect(inWindow).toBeLessThanOrEqual(rate);
      }
      // And it does not crawl either: 3 × rate events take about 3 s when requests are fast.
      if (latency * rate < 1000) {
        expect(sent.at(-1)! - sent[0]).toBeCloseTo(((3 * rate - 1) * 1000) / rate, 6);
      }
    }
  });
});

describe('waitForSlot with timers that fire late or early', () => {
  /** Sleeps `ms` plus a scripted error: late by up to 40 ms, or 1 ms short (a fractional delay rounded down). */
  class JitterClock extends VirtualClock {
    private n = 0;
    async sleep(ms: number): Promise<void> {
      const errors = [40, 0, -1, 25, 0, 0, -1, 3];
      const err = errors[this.n++ % errors.length];
      await super.sleep(Math.max(0, ms + err));
    }
  }

  it('never lets two events leave closer than one interval', async () => {
    const clock = new JitterClock(0);
    const sent: number[] = [];
    let slot: number | null = null;
    for (let i = 0; i < 50; i++) {
      slot = await waitForSlot(clock, slot, 10);
      sent.push(clock.now());
    }
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(100);
    }
  });
});

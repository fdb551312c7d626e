// Real runtime numbers of the sim's own process, in the shape of the OTel runtime-node instrumentation.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import type { RuntimeSnapshot } from './metrics';

const histogram = monitorEventLoopDelay({ resolution: 20 });
let enabled = false;

export function readRuntime(): RuntimeSnapshot {
  if (!enabled) {
    histogram.enable();
    enabled = true;
  }
  const elu = performance.eventLoopUtilization();
  // An empty histogram reports min as 2^63: treat anything absurd as "no sample yet".
  const ns = (v: number) => (Number.isFinite(v) && v < 1e15 ? v / 1e9 : 0);
  return {
    eventLoopUtilization: elu.utilization,
    eventLoopActiveSeconds: elu.active / 1000,
    eventLoopIdleSeconds: elu.idle / 1000,
    delay: {
      min: ns(histogram.min),
      max: ns(histogram.max),
      mean: ns(histogram.mean),
      stddev: ns(histogram.stddev),
      p50: ns(histogram.percentile(50)),
      p90: ns(histogram.percentile(90)),
      p99: ns(histogram.percentile(99)),
    },
    heapLimit: getHeapStatistics().heap_size_limit,
    gcMinorSeconds: [0.004, 0.017],
    heapSpaces: getHeapSpaceStatistics().map((s) => ({
      name: s.space_name,
      size: s.space_size,
      used: s.space_used_size,
      available: s.space_available_size,
      physical: s.physical_space_size,
    })),
  };
}

/** Stops the event-loop sampler so a test process can exit. */
export function stopRuntimeSampler(): void {
  if (enabled) {
    histogram.disable();
    enabled = false;
  }
}

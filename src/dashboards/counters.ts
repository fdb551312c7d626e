// KiCI exports its counters through OpenTelemetry, which exposes a label series only after its first add(): a new
// series appears at the size of its first batch, never at 0 (contract §7.1; samples/metrics.txt has no
// kici_orch_event_lease_expirations_total before the first expiry, samples/dlq/metrics.with-dlq.txt shows
// kici_orch_event_dlq_total born at 1 per event_name). increase() and rate() start from a series' first sample, so
// they never count the step that created it. These forms add it back: a series with no sample `range` ago was
// born inside the window, and its whole current value happened there. The same forms, written out by hand, are in
// dev/prometheus/kici-rules.yaml; promtool proves both (kici-rules.test.yaml, grafana-rules.test.yaml).
//
// Not covered: a restart inside the window after which the counter comes back at or above its old value (no drop, so
// no reset is visible), and a series born and then reset inside one window (only the value after the reset counts).

/** The series of `selector` that did not exist `range` ago (their value is all new). */
export function bornWithin(selector: string, range: string): string {
  return `(${selector} unless ${selector} offset ${range})`;
}

/** `increase(selector[range])`, plus the first batch of every series born inside the window. */
export function increaseCountingBirths(selector: string, range: string): string {
  const born = bornWithin(selector, range);
  return `(increase(${selector}[${range}]) unless ${born}) or ${born}`;
}

/** `rate(selector[range])`, plus the first batch of every series born inside the window; `rangeSeconds` = `range` in s. */
export function rateCountingBirths(selector: string, range: string, rangeSeconds: string): string {
  const born = bornWithin(selector, range);
  return `(rate(${selector}[${range}]) unless ${born}) or (${born} / ${rangeSeconds})`;
}

/** Grafana's `$__rate_interval` in seconds (`$__rate_interval_ms` is its global variable in milliseconds). */
export const RATE_INTERVAL_SECONDS = '($__rate_interval_ms / 1000)';

// How Grafana's server-side expressions (SSE, what alert rules run) read a datasource's frames before any reduce,
// math or threshold: as a set of numbers with labels, as series, or not at all. Facts from Grafana's code, carried
// over (not copied):
// - grafana/grafana pkg/expr/converter.go, `ResultConverter.Convert`, `isNumberTable`, `extractNumberSet`: read in
//   the 12.4.0 release source (package.json "version": "12.4.0") and in a later main snapshot (commit 06ba3029, which
//   only adds an `allowLongFrames` switch that alerting does not set); the branches below are the same in both.
// - grafana/grafana-plugin-sdk-go data/time_series.go, `Frame.TimeSeriesSchema` (v0.296.3).
import type { Frame } from '../../src/backend/protocol/types';

export type TimeSeriesType = 'not' | 'wide' | 'long';

/** `TimeSeriesSchema().Type`: no time field or no value field → not; strings or booleans beside → long; else wide. */
export function timeSeriesType(frame: Frame): TimeSeriesType {
  if (frame.fields.length === 0 || !frame.fields.some((f) => f.type === 'time')) {
    return 'not';
  }
  const firstTime = frame.fields.findIndex((f) => f.type === 'time');
  const factor = (t: string) => t === 'string' || t === 'boolean';
  const values = frame.fields.filter((f, i) => i !== firstTime && !factor(f.type));
  if (values.length === 0) {
    return 'not';
  }
  return frame.fields.some((f) => factor(f.type)) ? 'long' : 'wide';
}

const numeric = (t: string) => t === 'number' || t === 'int64';

/** `isNumberTable`: exactly one numeric field, every other one a string. */
export function isNumberTable(frame: Frame): boolean {
  const n = frame.fields.filter((f) => numeric(f.type)).length;
  const other = frame.fields.filter((f) => !numeric(f.type) && f.type !== 'string').length;
  return n === 1 && other === 0;
}

export type SseReading =
  | { kind: 'no-data' }
  | { kind: 'numbers'; numbers: Array<{ name: string; value: number | null; labels: Record<string, string> }> }
  | { kind: 'series'; count: number }
  | { kind: 'error'; message: string };

/**
 * `Convert` for a frame set from a datasource that is neither Prometheus nor InfluxDB, without dataplane `meta.type`
 * (our frames set none): one frame with one numeric field and only string fields besides, and no time field, is a
 * number per row, labelled by every string field (name → value); otherwise every frame must be a wide series.
 */
export function sseRead(frames: Frame[]): SseReading {
  if (frames.length === 0) {
    return { kind: 'no-data' };
  }
  if (frames.some((f) => f.meta?.type !== undefined)) {
    return { kind: 'error', message: 'dataplane frames (meta.type) take another path, not encoded here' };
  }
  if (frames.length === 1) {
    const frame = frames[0];
    if (frame.fields.length === 0) {
      return { kind: 'no-data' };
    }
    if (timeSeriesType(frame) === 'not' && isNumberTable(frame)) {
      const value = frame.fields.find((f) => numeric(f.type))!;
      const strings = frame.fields.filter((f) => f.type === 'string');
      const rows = value.values.length;
      const numbers = [];
      for (let i = 0; i < rows; i++) {
        const labels: Record<string, string> = {};
        for (const s of strings) {
          const v = s.values[i];
          if (typeof v !== 'string') {
            // `labels[key] = val.(string)`: a null string cell is a failed type assertion, a panic in Grafana.
            return { kind: 'error', message: `field ${s.name} row ${i}: a label value must be a string, not ${v}` };
          }
          labels[s.name] = v;
        }
        const n = value.values[i];
        numbers.push({ name: value.name, value: n === null || n === undefined ? null : Number(n), labels });
      }
      return { kind: 'numbers', numbers };
    }
  }
  let count = 0;
  for (const frame of frames) {
    const type = timeSeriesType(frame);
    if (type !== 'wide') {
      return { kind: 'error', message: `input data must be a wide series but got type ${type} (input refid)` };
    }
    count += frame.fields.filter((f) => numeric(f.type)).length;
  }
  return { kind: 'series', count };
}

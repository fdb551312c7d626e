// How Grafana reads a frame the plugin returns: grafana-plugin-sdk-go v0.296.3, data/arrow.go, UnmarshalArrowFrame.
// Facts carried over (not code):
// - the bytes are an Arrow IPC *file* (`ipc.NewFileReader`), one or more record batches;
// - the frame's name, refId and meta come from the schema metadata keys "name", "refId" and "meta" (JSON);
// - a field's name is the Arrow field name; its labels and config from the field metadata keys "labels" and
//   "config" (JSON, unmarshalled: a value that is not JSON fails the whole frame);
// - nullability is the Arrow field's nullable flag;
// - only these Arrow types convert (initializeFrameFields): STRING, STRING_VIEW, INT8..INT64, UINT8..UINT64,
//   FLOAT32, FLOAT64, BOOL, TIMESTAMP, BINARY; any other is "unsupported conversion from arrow to sdk type";
// - a TIMESTAMP value is read as nanoseconds whatever the column's unit says (`time.Unix(0, int64(ts))`), so a
//   column in another unit is silently wrong, not refused.
// The SDK itself cannot run here (no Go Arrow library in Debian): the plugin's bytes are read with apache-arrow's
// file reader and checked against these facts.
import { type RecordBatch, RecordBatchFileReader, TimeUnit, Type } from 'apache-arrow';

import { encodeFrame } from '../../src/backend/protocol/frame';
import type { Field, FieldType, Frame } from '../../src/backend/protocol/types';

const SDK_TYPES = new Set([
  Type.Utf8,
  Type.Int,
  Type.Float,
  Type.Bool,
  Type.Timestamp,
  Type.Binary,
  // STRING_VIEW has no apache-arrow 21 counterpart the plugin could write; its absence here is deliberate.
]);

const ALL: Record<FieldType, unknown[]> = {
  time: [Date.UTC(2026, 11, 5, 7, 0, 0, 123), null],
  number: [1.5, null],
  int64: [42, null],
  string: ['orchestrator — a', null],
  boolean: [true, null],
  json: [{ attempts: 5 }, null],
};

function frame(): Frame {
  const fields: Field[] = (Object.keys(ALL) as FieldType[]).map((type) => ({
    name: `f_${type}`,
    type,
    values: ALL[type],
    nullable: true,
    labels: { routingKey: 'github:42' },
    config: { displayName: `The ${type}` },
  }));
  return { name: 'dlq', fields, meta: { executedQueryString: 'SELECT 1' } };
}

function read(bytes: Uint8Array) {
  const reader = RecordBatchFileReader.from(bytes);
  reader.open();
  return reader;
}

it('is an Arrow IPC file whose schema metadata gives the frame its name, refId and meta', () => {
  const reader = read(encodeFrame(frame(), 'A'));
  expect(reader.isFile()).toBe(true);
  expect(reader.numRecordBatches).toBe(1);
  const md = reader.schema.metadata;
  expect(md.get('name')).toBe('dlq');
  expect(md.get('refId')).toBe('A');
  expect(JSON.parse(md.get('meta')!)).toEqual({ executedQueryString: 'SELECT 1' });
});

it('gives every field a type the SDK converts, its name, nullability, and labels and config as JSON', () => {
  const reader = read(encodeFrame(frame(), 'A'));
  expect(reader.schema.fields.map((f) => f.name)).toEqual(Object.keys(ALL).map((t) => `f_${t}`));
  for (const f of reader.schema.fields) {
    expect({ field: f.name, supported: SDK_TYPES.has(f.type.typeId) }).toEqual({ field: f.name, supported: true });
    expect(f.nullable).toBe(true);
    expect(JSON.parse(f.metadata.get('labels')!)).toEqual({ routingKey: 'github:42' });
    expect(JSON.parse(f.metadata.get('config')!)).toEqual({ displayName: `The ${f.name.slice(2)}` });
  }
});

it('writes times as nanoseconds, the unit the SDK assumes for every timestamp', () => {
  const reader = read(encodeFrame(frame(), 'A'));
  const time = reader.schema.fields.find((f) => f.name === 'f_time')!;
  expect(time.type.typeId).toBe(Type.Timestamp);
  expect((time.type as { unit: TimeUnit }).unit).toBe(TimeUnit.NANOSECOND);
  const batch = reader.readRecordBatch(0) as RecordBatch;
  const raw = batch.getChild('f_time')!.data[0].values as BigInt64Array;
  expect(raw[0]).toBe(BigInt(Date.UTC(2026, 11, 5, 7, 0, 0, 123)) * 1_000_000n);
});

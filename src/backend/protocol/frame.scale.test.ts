// The frame encoder at the size of a real panel: 100k rows of every type round-trip exactly. Kept apart from
// frame.test.ts so the mutation run (jest.mutate.config.js), which runs every test once per static mutant, leaves
// this ~9 s test out; the edges it covers at scale are covered row by row in frame.test.ts.
import { RecordBatchFileReader, type RecordBatch, type Schema } from 'apache-arrow';

import { encodeFrame } from './frame';
import type { Frame } from './types';

interface SyncFileReader {
  open(): void;
  numRecordBatches: number;
  schema: Schema;
  readRecordBatch(i: number): RecordBatch | null;
}

function values(bytes: Uint8Array, name: string): unknown[] {
  const reader = RecordBatchFileReader.from(bytes) as unknown as SyncFileReader;
  reader.open();
  const index = reader.schema.fields.findIndex((f) => f.name === name);
  return Array.from({ length: reader.numRecordBatches }, (_, i) => reader.readRecordBatch(i)!).flatMap((b) => {
    const v = b.getChildAt(index)!;
    return Array.from({ length: v.length }, (_, i) => v.get(i));
  });
}

const T0 = Date.UTC(2026, 0, 1);

describe('encodeFrame at scale', () => {
  it('round-trips 100k rows of every type', () => {
    const n = 100_000;
    const time = Array.from({ length: n }, (_, i) => T0 + i * 1000);
    const num = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i / 3));
    const str = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `evt-${i}${i % 13 === 0 ? '-ü' : ''}`));
    const bool = Array.from({ length: n }, (_, i) => i % 3 === 0);
    const frame: Frame = {
      name: 'big',
      fields: [
        { name: 'time', type: 'time', values: time },
        { name: 'num', type: 'number', values: num, nullable: true },
        { name: 'str', type: 'string', values: str, nullable: true },
        { name: 'bool', type: 'boolean', values: bool },
      ],
    };
    const bytes = encodeFrame(frame, 'A');
    expect(values(bytes, 'time')).toEqual(time);
    expect(values(bytes, 'num')).toEqual(num);
    expect(values(bytes, 'str')).toEqual(str);
    expect(values(bytes, 'bool')).toEqual(bool);
  });
});

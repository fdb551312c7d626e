// arrow-ipc.ts against the writer it replaces (dev/testing/plugin/arrow-oracle.ts: apache-arrow 21's
// RecordBatchFileWriter, fed the way encodeFrame fed it before). The bytes must be identical; they are also decoded
// with apache-arrow (the Go SDK's data.UnmarshalArrowFrames reads the same file).
import { createHash } from 'node:crypto';

import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';

import { apacheArrowColumns, apacheArrowFile } from '../../../dev/testing/plugin/arrow-oracle';
import { decodeFrame } from '../../../dev/testing/plugin/decode';
import { type ArrowFile, writeArrowFile } from './arrow-ipc';
import { encodeFrame, frameColumns } from './frame';
import type { Field, FieldType, Frame } from './types';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Where two byte strings first differ (null when identical), for a readable failure. */
function firstDifference(a: Uint8Array, b: Uint8Array): string | null {
  if (Buffer.compare(a, b) === 0) {
    return null;
  }
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) {
    i++;
  }
  return `lengths ${a.length} and ${b.length}, first difference at byte ${i}`;
}

function expectIdentical(frame: Frame, refId = 'A'): Uint8Array {
  const ours = encodeFrame(frame, refId);
  const theirs = apacheArrowFile(frame, refId, frameColumns(frame, refId));
  expect(firstDifference(ours, theirs)).toBeNull();
  expect(sha256(ours)).toBe(sha256(theirs));
  return ours;
}

function textColumn(strings: string[]): { offsets: Int32Array; values: Uint8Array } {
  const values = Buffer.from(strings.join(''));
  const offsets = Int32Array.from([0, ...strings.map((_, i) => Buffer.byteLength(strings.slice(0, i + 1).join('')))]);
  return { offsets, values };
}

const T0 = Date.UTC(2026, 0, 1);
const TYPES: FieldType[] = ['time', 'number', 'int64', 'string', 'boolean', 'json'];

function value(type: FieldType, i: number): unknown {
  switch (type) {
    case 'time':
      return i % 5 === 4 ? new Date(T0 - i * 86_400_000) : T0 + i * 1000;
    case 'number':
      return i % 3 === 0 ? i / 7 : -i * 1e12;
    case 'int64':
      return i % 4 === 0 ? 2n ** 62n - BigInt(i) : -i;
    case 'string':
      return i % 6 === 0 ? '' : `event-${i}${i % 4 === 1 ? '-ñandú 🚀' : ''}`;
    case 'boolean':
      return i % 3 !== 1;
    case 'json':
      return i % 2 ? { attempt: i, tags: ['a', 'ü'] } : [i];
  }
}

/** One field of every type, `rows` rows; `nulls(i)` makes row i null in every field (then all are nullable). */
function everyType(rows: number, nulls?: (i: number) => boolean): Field[] {
  return TYPES.map((type) => ({
    name: type,
    type,
    nullable: nulls !== undefined,
    values: Array.from({ length: rows }, (_, i) => (nulls?.(i) ? null : value(type, i))),
  }));
}

/** What decodeFrame gives back for a value the frame held. */
function decoded(type: FieldType, v: unknown): unknown {
  if (v === null || v === undefined) {
    return null;
  }
  if (type === 'time') {
    return v instanceof Date ? v.getTime() : v;
  }
  if (type === 'int64' && typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (type === 'json') {
    return JSON.parse(JSON.stringify(v));
  }
  return v;
}

function expectRoundTrip(bytes: Uint8Array, frame: Frame, refId: string): void {
  const back = decodeFrame(bytes);
  expect(back.name).toBe(frame.name ?? '');
  expect(back.refId).toBe(refId);
  expect(back.meta).toEqual(frame.meta && Object.keys(frame.meta).length ? frame.meta : undefined);
  expect(back.fields.map((f) => [f.name, f.nullable, f.labels, f.config])).toEqual(
    frame.fields.map((f) => [
      // an empty name is not written (apache-arrow's encodeField: `if (field.name)`); its reader then gives null
      f.name === '' ? null : f.name,
      !!f.nullable,
      f.labels && Object.keys(f.labels).length ? f.labels : undefined,
      f.config && Object.keys(f.config).length ? f.config : undefined,
    ])
  );
  back.fields.forEach((f, i) => {
    expect(f.values).toEqual(frame.fields[i].values.map((v) => decoded(frame.fields[i].type, v)));
  });
  const table = tableFromIPC(bytes);
  expect(table.numRows).toBe(frame.fields[0]?.values.length ?? 0);
  expect(table.numCols).toBe(frame.fields.length);
}

const CASES: Array<[string, Frame]> = [
  ['every type, one row, no nulls', { name: 'one', fields: everyType(1) }],
  ['every type with nulls', { name: 'nulls', fields: everyType(10, (i) => i % 3 === 1) }],
  ['every type, all null (3 rows)', { name: 'all-null', fields: everyType(3, () => true) }],
  ['every type, all null (9 rows)', { name: 'all-null-9', fields: everyType(9, () => true) }],
  ['every type, zero rows', { name: 'empty', fields: everyType(0) }],
  ['every type, zero rows, nullable', { name: 'empty', fields: everyType(0, () => true) }],
  ['zero fields', { name: 'nothing', fields: [] }],
  ['zero fields, no name', { fields: [] }],
  [
    'empty strings only (a zero-length values buffer)',
    {
      name: 'blank',
      fields: [
        { name: 's', type: 'string', values: ['', '', ''] },
        { name: 'n', type: 'string', values: [null, '', null], nullable: true },
      ],
    },
  ],
  [
    'non-ASCII text in names, values and metadata',
    {
      name: 'ñandú',
      meta: { executedQueryString: 'SELECT «x» — 🚀' },
      fields: [{ name: 'événement', type: 'string', values: ['日本語', 'a\u0000b', '🚀🚀'], labels: { clé: 'värde' } }],
    },
  ],
  [
    'duplicate field names, each with its own labels',
    {
      name: 'series',
      fields: [
        { name: 'time', type: 'time', values: [T0, T0 + 1] },
        { name: 'depth', type: 'number', values: [1, 2], labels: { q: 'a' } },
        { name: 'depth', type: 'number', values: [3, 4], labels: { q: 'b' } },
        { name: 'depth', type: 'number', values: [5, 6] },
      ],
    },
  ],
  [
    'labels, config and meta present',
    {
      name: 'dressed',
      meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
      fields: [
        {
          name: 'v',
          type: 'number',
          values: [1],
          labels: { a: '1', b: '2' },
          config: { unit: 'short', displayName: 'V', links: [{ title: 't', url: '/x' }] },
        },
        { name: 'w', type: 'int64', values: [2], config: { unit: 'none' } },
        { name: 'x', type: 'string', values: ['y'], labels: { only: 'labels' } },
      ],
    },
  ],
  [
    'labels, config and meta empty (written as absent)',
    { name: 'plain', meta: {}, fields: [{ name: 'v', type: 'boolean', values: [true], labels: {}, config: {} }] },
  ],
  ['a field without a name and a frame without a name', { fields: [{ name: '', type: 'json', values: [{}] }] }],
  [
    'negative, fractional and extreme times and int64s',
    {
      name: 'edges',
      fields: [
        { name: 't', type: 'time', values: [-1.5, 0, 0.000001, 9_223_372_036_854, -9_223_372_036_854] },
        { name: 'i', type: 'int64', values: [-(2n ** 63n), 2n ** 63n - 1n, 0, -1, Number.MAX_SAFE_INTEGER] },
        { name: 'f', type: 'number', values: [NaN, -0, Infinity, -Infinity, Number.MIN_VALUE] },
      ],
    },
  ],
  ...[1, 7, 8, 9, 100, 20_000].map((rows): [string, Frame] => [
    `every type, ${rows} rows, nulls in every field`,
    { name: `rows-${rows}`, fields: everyType(rows, (i) => i % 7 === 3) },
  ]),
  ...[7, 8, 9].map((rows): [string, Frame] => [
    `every type, ${rows} rows, no nulls`,
    { name: `rows-${rows}`, fields: everyType(rows) },
  ]),
];

describe('writeArrowFile: byte for byte what apache-arrow 21 writes', () => {
  it.each(CASES)('%s', (_, frame) => {
    const bytes = expectIdentical(frame, 'A');
    expectRoundTrip(bytes, frame, 'A');
  });

  it('writes the refId it is given, including an empty one', () => {
    const frame: Frame = { name: 'r', fields: everyType(2) };
    expectRoundTrip(expectIdentical(frame, ''), frame, '');
    expectRoundTrip(expectIdentical(frame, 'B-ü'), frame, 'B-ü');
  });

  it('writes no custom metadata for empty metadata maps (no frame has them: tstype, name and refId are always set)', () => {
    const file: ArrowFile = {
      length: 2,
      columns: [
        { name: 'a', type: 'utf8', nullable: false, metadata: new Map(), nullCount: 0, ...textColumn(['x', 'yz']) },
        {
          name: 'b',
          type: 'float64',
          nullable: true,
          metadata: new Map([['k', 'v']]),
          nullCount: 0,
          values: new Float64Array(2),
        },
      ],
      metadata: new Map(),
    };
    const ours = writeArrowFile(file);
    expect(firstDifference(ours, apacheArrowColumns(file))).toBeNull();
    const table = tableFromIPC(ours);
    expect([...table.schema.metadata]).toEqual([]);
    expect(table.schema.fields.map((f) => [...f.metadata])).toEqual([[], [['k', 'v']]]);
    const none: ArrowFile = { length: 0, columns: [], metadata: new Map() };
    expect(firstDifference(writeArrowFile(none), apacheArrowColumns(none))).toBeNull();
  });

  it('writes an all-null Bool column as zeros whatever bits its values hold, as apache-arrow does', () => {
    const bool = (nullCount: number, bits: number): ArrowFile => ({
      length: 3,
      columns: [
        {
          name: 'b',
          type: 'bool',
          nullable: true,
          metadata: new Map([['tstype', 'boolean']]),
          nullCount,
          validity: Uint8Array.of(nullCount === 3 ? 0 : 0b110),
          values: Uint8Array.of(bits),
        },
      ],
      metadata: new Map([['name', 'x']]),
    });
    for (const file of [bool(3, 0b111), bool(1, 0b111), bool(3, 0)]) {
      expect(firstDifference(writeArrowFile(file), apacheArrowColumns(file))).toBeNull();
    }
    expect(Buffer.compare(writeArrowFile(bool(3, 0b111)), writeArrowFile(bool(3, 0)))).toBe(0);
    expect(Buffer.compare(writeArrowFile(bool(1, 0b111)), writeArrowFile(bool(1, 0)))).not.toBe(0);
  });

  it('random frames of the six types (seeded)', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant(''));
    const values: Record<FieldType, fc.Arbitrary<unknown>> = {
      time: fc.oneof(
        fc.integer({ min: -9_223_372_036_854, max: 9_223_372_036_854 }),
        fc.double({ min: -9e12, max: 9e12, noNaN: true }),
        fc.date({ min: new Date(-9e12), max: new Date(9e12), noInvalidDate: true })
      ),
      number: fc.double(),
      int64: fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      string: text,
      boolean: fc.boolean(),
      json: fc.jsonValue().filter((v) => v !== null),
    };
    const dictionary = fc.option(fc.dictionary(text, text, { maxKeys: 3 }), { nil: undefined });
    const frame = fc.integer({ min: 0, max: 40 }).chain((rows) =>
      fc.record({
        name: fc.option(text, { nil: undefined }),
        meta: fc.option(fc.dictionary(text, fc.jsonValue(), { maxKeys: 2 }), { nil: undefined }),
        fields: fc.array(
          fc.constantFrom(...TYPES).chain((type) =>
            fc.record({
              name: fc.oneof(text, fc.constantFrom('time', 'value')),
              type: fc.constant(type),
              nullable: fc.boolean(),
              labels: dictionary,
              config: fc.option(fc.dictionary(text, fc.jsonValue(), { maxKeys: 2 }), { nil: undefined }),
              nullRate: fc.constantFrom(0, 0.3, 1),
              values: fc.array(values[type], { minLength: rows, maxLength: rows }),
            })
          ),
          { maxLength: 8 }
        ),
      })
    );
    fc.assert(
      fc.property(frame, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (f, seed) => {
        let s = seed;
        const fields: Field[] = f.fields.map(({ nullRate, values: vs, ...field }) => ({
          ...field,
          values: field.nullable
            ? vs.map((v) => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 < nullRate ? null : v))
            : vs,
        }));
        const input: Frame = { name: f.name, meta: f.meta, fields };
        const bytes = expectIdentical(input, 'A');
        expect(decodeFrame(bytes).fields.map((x) => x.values.length)).toEqual(fields.map((x) => x.values.length));
      }),
      { seed: 20261205, numRuns: 200 }
    );
  });
});

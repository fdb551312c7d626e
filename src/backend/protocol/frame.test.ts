import { type RecordBatch, RecordBatchFileReader, type Schema, Type, TimeUnit, vectorFromArray } from 'apache-arrow';

interface SyncFileReader {
  open(): void;
  isFile(): boolean;
  numRecordBatches: number;
  schema: Schema;
  readRecordBatch(i: number): RecordBatch | null;
}

import { encodeFrame, FrameEncodeError, writeNanos } from './frame';
import type { Frame } from './types';

function read(bytes: Uint8Array) {
  const reader = RecordBatchFileReader.from(bytes) as unknown as SyncFileReader;
  reader.open();
  expect(reader.isFile()).toBe(true);
  const batches = Array.from({ length: reader.numRecordBatches }, (_, i) => reader.readRecordBatch(i)!);
  return { schema: reader.schema, batches };
}

function column(bytes: Uint8Array, name: string): unknown[] {
  const { schema, batches } = read(bytes);
  const index = schema.fields.findIndex((f) => f.name === name);
  return batches.flatMap((b) => Array.from(b.getChildAt(index)!.toArray() as ArrayLike<unknown>));
}

function values(bytes: Uint8Array, name: string): unknown[] {
  const { schema, batches } = read(bytes);
  const index = schema.fields.findIndex((f) => f.name === name);
  return batches.flatMap((b) => {
    const v = b.getChildAt(index)!;
    return Array.from({ length: v.length }, (_, i) => v.get(i));
  });
}

const T0 = Date.UTC(2026, 0, 1); // 1767225600000

describe('encodeFrame', () => {
  it('writes an Arrow IPC file with explicit types, metadata and values', () => {
    const frame: Frame = {
      name: 'dlq',
      meta: { type: 'timeseries-multi', typeVersion: [0, 1], executedQueryString: 'SELECT 1' },
      fields: [
        { name: 'time', type: 'time', values: [T0, new Date(T0 + 1000)] },
        {
          name: 'depth',
          type: 'number',
          values: [1.5, null],
          nullable: true,
          labels: { routing_key: 'github:42' },
          config: { unit: 'short', displayName: 'Depth' },
        },
        { name: 'event', type: 'string', values: ['push', 'ñandú 🚀'] },
        { name: 'attempts', type: 'int64', values: [3, 9007199254740993n] },
        { name: 'ok', type: 'boolean', values: [true, false] },
        { name: 'payload', type: 'json', values: [{ a: [1, 'x'] }, null], nullable: true },
      ],
    };
    const bytes = encodeFrame(frame, 'A');
    const magic = Buffer.from('ARROW1');
    expect(Buffer.from(bytes.subarray(0, 6)).equals(magic)).toBe(true);
    expect(Buffer.from(bytes.subarray(bytes.length - 6)).equals(magic)).toBe(true);

    const { schema } = read(bytes);
    expect(schema.metadata.get('name')).toBe('dlq');
    expect(schema.metadata.get('refId')).toBe('A');
    expect(JSON.parse(schema.metadata.get('meta')!)).toEqual(frame.meta);
    expect(schema.fields.map((f) => [f.name, Type[f.typeId], f.nullable, f.metadata.get('tstype')])).toEqual([
      ['time', 'Timestamp', false, 'time'],
      ['depth', 'Float', true, 'number'],
      ['event', 'Utf8', false, 'string'],
      ['attempts', 'Int', false, 'number'],
      ['ok', 'Bool', false, 'boolean'],
      ['payload', 'Binary', true, 'other'],
    ]);
    expect((schema.fields[0].type as { unit: TimeUnit }).unit).toBe(TimeUnit.NANOSECOND);
    expect((schema.fields[0].type as { timezone: string | null }).timezone).toBeNull();
    expect(JSON.parse(schema.fields[1].metadata.get('labels')!)).toEqual({ routing_key: 'github:42' });
    expect(JSON.parse(schema.fields[1].metadata.get('config')!)).toEqual({ unit: 'short', displayName: 'Depth' });
    expect(schema.fields[0].metadata.has('labels')).toBe(false);

    expect(column(bytes, 'time')).toEqual([1767225600000000000n, 1767225601000000000n]);
    expect(values(bytes, 'depth')).toEqual([1.5, null]);
    expect(values(bytes, 'event')).toEqual(['push', 'ñandú 🚀']);
    expect(column(bytes, 'attempts')).toEqual([3n, 9007199254740993n]);
    expect(values(bytes, 'ok')).toEqual([true, false]);
    const payload = values(bytes, 'payload') as Array<Uint8Array | null>;
    expect(JSON.parse(Buffer.from(payload[0]!).toString())).toEqual({ a: [1, 'x'] });
    expect(payload[1]).toBeNull();
  });

  it('keeps fields that share a name distinct, each with its own labels (a series per label set)', () => {
    const frame: Frame = {
      fields: [
        { name: 'time', type: 'time', values: [T0] },
        { name: 'runs', type: 'number', values: [1], labels: { status: 'success' } },
        { name: 'runs', type: 'number', values: [2], labels: { status: 'failed' } },
      ],
    };
    const { schema, batches } = read(encodeFrame(frame, 'A'));
    expect(schema.fields.map((f) => [f.name, f.metadata.get('labels')])).toEqual([
      ['time', undefined],
      ['runs', '{"status":"success"}'],
      ['runs', '{"status":"failed"}'],
    ]);
    expect([batches[0].getChildAt(1)!.get(0), batches[0].getChildAt(2)!.get(0)]).toEqual([1, 2]);
  });

  it('always writes name and refId, and handles frames without fields or rows', () => {
    const noFields = read(encodeFrame({ fields: [] }, 'B'));
    expect(noFields.schema.metadata.get('name')).toBe('');
    expect(noFields.schema.metadata.get('refId')).toBe('B');
    expect(noFields.schema.fields).toHaveLength(0);
    expect(noFields.schema.metadata.has('meta')).toBe(false);

    const noRows = read(
      encodeFrame({ name: 'empty', fields: [{ name: 's', type: 'string', values: [], nullable: true }] }, 'C')
    );
    expect(noRows.schema.fields.map((f) => f.name)).toEqual(['s']);
    expect(noRows.batches.reduce((n, b) => n + b.numRows, 0)).toBe(0);
  });

  it('builds plain Utf8, never Dictionary (what apache-arrow inference would do)', () => {
    expect(Type[vectorFromArray(['a', 'b']).type.typeId]).toBe('Dictionary');
    const { schema } = read(encodeFrame({ fields: [{ name: 's', type: 'string', values: ['a', 'b'] }] }, 'A'));
    expect(Type[schema.fields[0].type.typeId]).toBe('Utf8');
  });

  it('keeps null strings distinct from empty strings and encodes unicode exactly', () => {
    const strings = ['', null, 'é', '日本語', '🚀x', 'plain', '\u0000', 'a\ud800b'];
    const bytes = encodeFrame({ fields: [{ name: 's', type: 'string', values: strings, nullable: true }] }, 'A');
    expect(values(bytes, 's')).toEqual(['', null, 'é', '日本語', '🚀x', 'plain', '\u0000', 'a\ufffdb']);
  });

  it('rejects wrong values with an error naming the frame, field and row', () => {
    const bad = (frame: Frame) => () => encodeFrame(frame, 'A');
    expect(bad({ name: 'f', fields: [{ name: 'v', type: 'number', values: [1, '2'] }] })).toThrow(
      new FrameEncodeError('frame "f": field "v" (number) row 1: got "2", expected a number')
    );
    expect(bad({ fields: [{ name: 'v', type: 'number', values: [null] }] })).toThrow(
      'field "v" (number) row 0: got null, expected a value (the field is not nullable)'
    );
    expect(bad({ fields: [{ name: 't', type: 'time', values: ['2026-01-01'] }] })).toThrow(
      'field "t" (time) row 0: got "2026-01-01", expected epoch milliseconds'
    );
    expect(bad({ fields: [{ name: 'i', type: 'int64', values: [1.5] }] })).toThrow('field "i" (int64) row 0');
    expect(bad({ fields: [{ name: 'b', type: 'boolean', values: [1] }] })).toThrow('field "b" (boolean) row 0');
    expect(bad({ fields: [{ name: 'j', type: 'json', values: [undefined], nullable: false }] })).toThrow(
      'field "j" (json) row 0'
    );
    expect(
      bad({
        fields: [
          { name: 'a', type: 'number', values: [1, 2] },
          { name: 'b', type: 'number', values: [1] },
        ],
      })
    ).toThrow('field "b" has 1 values but field "a" has 2');
    expect(bad({ fields: [{ name: 'x', type: 'date' as never, values: [] }] })).toThrow('unknown type "date"');
  });

  it('converts ms to ns exactly, including fractions and dates before 1970', () => {
    const ms = [0, 1, T0, T0 + 0.5, 1e12 + 0.000001, 9_223_372_036_854, -1, -86_400_000.25, 2 ** 41 + 7];
    const bytes = encodeFrame({ fields: [{ name: 't', type: 'time', values: ms }] }, 'A');
    const expected = ms.map((m) => BigInt(Math.floor(m)) * 1_000_000n + BigInt(Math.round((m - Math.floor(m)) * 1e6)));
    expect(column(bytes, 't')).toEqual(expected);
    expect(() => encodeFrame({ fields: [{ name: 't', type: 'time', values: [1e16] }] }, 'A')).toThrow('row 0');
  });

  it('writeNanos agrees with BigInt arithmetic on many values', () => {
    const n = 20_000;
    const out = new BigInt64Array(n);
    const words = new Uint32Array(out.buffer);
    const ms: number[] = [];
    let seed = 42;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const m = i % 2 ? Math.floor((seed / 2 ** 31) * 9_223_372_036_854) : (seed / 2 ** 31) * 4e12;
      ms.push(m);
      writeNanos(words, i, m);
    }
    const expected = ms.map((m) => BigInt(Math.floor(m)) * 1_000_000n + BigInt(Math.round((m - Math.floor(m)) * 1e6)));
    expect(Array.from(out)).toEqual(expected);
  });
});

// Mutation testing (issue 20): what Grafana reads back for each column type with nulls, the value ranges each type
// holds, and the exact error a query shows when a value does not fit (it names the frame, field, row and value).
describe('encodeFrame: nulls, ranges and errors (issue 20)', () => {
  const encode = (frame: Frame) => encodeFrame(frame, 'A');
  const error = (frame: Frame) => {
    try {
      encode(frame);
    } catch (err) {
      return [(err as Error).name, (err as Error).message];
    }
    return 'encoded';
  };
  const one = (type: Frame['fields'][number]['type'], v: unknown[], nullable = false): Frame => ({
    name: 'f',
    fields: [{ name: 'v', type, values: v, nullable }],
  });

  it('nullable columns of every type keep their nulls where they are (past the first byte of the bitmap)', () => {
    const rows = 19;
    const at = (i: number) => i % 3 === 1 || i === 17;
    const pick = <T>(make: (i: number) => T) => Array.from({ length: rows }, (_, i) => (at(i) ? null : make(i)));
    const frame: Frame = {
      fields: [
        { name: 'time', type: 'time', values: pick((i) => T0 + i), nullable: true },
        { name: 'number', type: 'number', values: pick((i) => i / 2), nullable: true },
        { name: 'int64', type: 'int64', values: pick((i) => i * 1000), nullable: true },
        { name: 'string', type: 'string', values: pick((i) => `s${i}`), nullable: true },
        { name: 'boolean', type: 'boolean', values: pick((i) => i % 2 === 0), nullable: true },
        { name: 'json', type: 'json', values: pick((i) => ({ i })), nullable: true },
      ],
    };
    const bytes = encode(frame);
    expect(values(bytes, 'time')).toEqual(pick((i) => T0 + i));
    expect(values(bytes, 'number')).toEqual(pick((i) => i / 2));
    expect(values(bytes, 'int64')).toEqual(pick((i) => BigInt(i * 1000)));
    expect(values(bytes, 'string')).toEqual(pick((i) => `s${i}`));
    expect(values(bytes, 'boolean')).toEqual(pick((i) => i % 2 === 0));
    expect((values(bytes, 'json') as Array<Uint8Array | null>).map((b) => b && Buffer.from(b).toString())).toEqual(
      pick((i) => `{"i":${i}}`)
    );
    expect(read(bytes).schema.fields.every((f) => f.nullable)).toBe(true);
  });

  it('undefined is a null too, in a nullable column', () => {
    expect(values(encode(one('number', [undefined, 2], true)), 'v')).toEqual([null, 2]);
    expect(values(encode(one('boolean', [undefined, true], true)), 'v')).toEqual([null, true]);
  });

  it('a column without nulls has no validity bitmap and reads back whole, after a column with nulls', () => {
    const bytes = encode({
      fields: [
        { name: 'a', type: 'number', values: [null, 1], nullable: true },
        { name: 'b', type: 'number', values: [2, 3], nullable: true },
      ],
    });
    expect(values(bytes, 'b')).toEqual([2, 3]);
    expect(read(bytes).batches[0].getChildAt(1)!.nullCount).toBe(0);
    expect(read(bytes).batches[0].getChildAt(0)!.nullCount).toBe(1);
  });

  it('int64 holds the whole int64 range as bigint and safe integers as numbers', () => {
    const v = [-(2n ** 63n), 2n ** 63n - 1n, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0];
    expect(column(encode(one('int64', v)), 'v')).toEqual([
      -(2n ** 63n),
      2n ** 63n - 1n,
      9007199254740991n,
      -9007199254740991n,
      0n,
    ]);
  });

  it.each([
    ['int64', [2n ** 63n], 'got 9223372036854775808n, expected a safe integer number or an int64 bigint'],
    ['int64', [-(2n ** 63n) - 1n], 'got -9223372036854775809n, expected a safe integer number or an int64 bigint'],
    ['int64', [2 ** 53], 'got 9007199254740992, expected a safe integer number or an int64 bigint'],
    ['int64', ['5'], 'got "5", expected a safe integer number or an int64 bigint'],
    ['number', [5n], 'got 5n, expected a number'],
    ['string', [5], 'got 5, expected a string'],
    ['string', [{ a: 1 }], 'got {"a":1}, expected a string'],
    ['boolean', ['true'], 'got "true", expected a boolean'],
    ['boolean', [0], 'got 0, expected a boolean'],
    ['time', [Number.NaN], 'got null, expected epoch milliseconds (number) or a Date between 1677 and 2262'],
    ['time', [Infinity], 'got null, expected epoch milliseconds (number) or a Date between 1677 and 2262'],
    [
      'time',
      [-9_223_372_036_855],
      'got -9223372036855, expected epoch milliseconds (number) or a Date between 1677 and 2262',
    ],
    [
      'time',
      [9_223_372_036_855],
      'got 9223372036855, expected epoch milliseconds (number) or a Date between 1677 and 2262',
    ],
    ['time', [new Date(Number.NaN)], 'got null, expected epoch milliseconds (number) or a Date between 1677 and 2262'],
    ['time', [true], 'got true, expected epoch milliseconds (number) or a Date between 1677 and 2262'],
    ['json', [Symbol('s')], 'got Symbol(s), expected a JSON-serialisable value'],
    ['json', [1n], 'got 1n, expected a JSON-serialisable value'],
  ] as const)('a %s column refuses %p: %s', (type, v, message) => {
    expect(error(one(type, [...v]))).toEqual(['FrameEncodeError', `frame "f": field "v" (${type}) row 0: ${message}`]);
  });

  it('a circular value is named by its kind, in a json column', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(error(one('json', [loop]))).toEqual([
      'FrameEncodeError',
      'frame "f": field "v" (json) row 0: got [object Object], expected a JSON-serialisable value',
    ]);
  });

  it('a value of exactly 60 characters is shown whole, a longer one cut to 57 and "..."', () => {
    const s58 = 'y'.repeat(58); // JSON adds the two quotes: 60
    expect(error(one('number', [s58]))).toEqual([
      'FrameEncodeError',
      `frame "f": field "v" (number) row 0: got "${s58}", expected a number`,
    ]);
    expect(error(one('number', ['y'.repeat(59)]))).toEqual([
      'FrameEncodeError',
      `frame "f": field "v" (number) row 0: got "${'y'.repeat(56)}..., expected a number`,
    ]);
  });

  it('the times a nanosecond int64 holds: ±9223372036854 ms', () => {
    expect(column(encode(one('time', [-9_223_372_036_854, 9_223_372_036_854])), 'v')).toEqual([
      -9_223_372_036_854_000_000n,
      9_223_372_036_854_000_000n,
    ]);
  });

  it('names the frame shape that cannot be encoded', () => {
    expect(error({ name: 'f', fields: 'x' as never })).toEqual([
      'FrameEncodeError',
      'frame "f": fields must be an array',
    ]);
    expect(error({ fields: [{ name: 'v', type: 'number', values: 'x' as never }] })).toEqual([
      'FrameEncodeError',
      'frame: field "v": values must be an array',
    ]);
    expect(error({ name: 'f', fields: [{ name: 'v', type: 'date' as never, values: [] }] })).toEqual([
      'FrameEncodeError',
      'frame "f": field "v": unknown type "date"',
    ]);
    expect(
      error({
        name: 'f',
        fields: [
          { name: 'a', type: 'number', values: [1, 2] },
          { name: 'b', type: 'number', values: [1, 2, 3] },
        ],
      })
    ).toEqual(['FrameEncodeError', 'frame "f": field "b" has 3 values but field "a" has 2']);
    expect(error({ fields: [{ name: 'n', type: 'string', values: [null] }] })).toEqual([
      'FrameEncodeError',
      'frame: field "n" (string) row 0: got null, expected a value (the field is not nullable)',
    ]);
    expect(error({ fields: [{ name: 'n', type: 'time', values: [1, undefined] }] })).toEqual([
      'FrameEncodeError',
      'frame: field "n" (time) row 1: got undefined, expected a value (the field is not nullable)',
    ]);
  });

  it('writes no labels, config or meta when they are empty, and a field is not nullable unless it says so', () => {
    const { schema } = read(
      encode({ meta: {}, fields: [{ name: 'v', type: 'number', values: [1], labels: {}, config: {} }] })
    );
    expect(schema.metadata.has('meta')).toBe(false);
    expect([...schema.fields[0].metadata.keys()]).toEqual(['tstype']);
    expect(schema.fields[0].nullable).toBe(false);
  });

  it('strings mixing ASCII and multi-byte text keep their boundaries', () => {
    const v = ['ab', 'ü', 'cd', '', '🚀', 'e'];
    expect(values(encode(one('string', v)), 'v')).toEqual(v);
    const json = values(encode(one('json', ['ü', 'ab', { k: '日本' }])), 'v') as Uint8Array[];
    expect(json.map((b) => Buffer.from(b).toString())).toEqual(['"ü"', '"ab"', '{"k":"日本"}']);
  });

  it('a lone surrogate at the end of one string and the start of the next stays in its own row', () => {
    // Encoded together the two halves would make one 4-byte character; each row is its own UTF-8 (U+FFFD each).
    const v = ['a\uD83D', '\uDE80b', null, 'ü', undefined, 'c'];
    expect(values(encode(one('string', v, true)), 'v')).toEqual(['a\uFFFD', '\uFFFDb', null, 'ü', null, 'c']);
  });

  it('text columns with nulls before and after non-ASCII text keep every offset', () => {
    const v = [null, 'x', '', '日本', null, 'y'.repeat(70), '🚀', null];
    expect(values(encode(one('string', v, true)), 'v')).toEqual(v);
    expect(values(encode(one('string', ['ab', null, 'cd'], true)), 'v')).toEqual(['ab', null, 'cd']);
  });
});

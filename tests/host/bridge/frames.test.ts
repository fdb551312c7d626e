// The browser side (@grafana/data's dataFrameFromJSON reading these frames) is exercised by the Playwright specs.
import type { DecodedFrame } from '../../../dev/testing/plugin-process';
import { toDataFrameJSON } from './frames';

const frame: DecodedFrame = {
  name: 'health',
  refId: 'A',
  meta: { preferredVisualisationType: 'table' },
  fields: [
    { name: 'time', type: 'time', arrowType: 'Timestamp<MILLISECOND>', nullable: false, values: [1000, 2000, 3000] },
    {
      name: 'latency_ms',
      type: 'number',
      arrowType: 'Float64',
      nullable: true,
      values: [1.5, NaN, -Infinity],
      config: { unit: 'ms' },
    },
    { name: 'count', type: 'int64', arrowType: 'Int64', nullable: false, values: [BigInt(7), 8, 9] },
    { name: 'status', type: 'string', arrowType: 'Utf8', nullable: true, values: ['ok', null, 'down'] },
    {
      name: 'up',
      type: 'boolean',
      arrowType: 'Bool',
      nullable: false,
      values: [true, false, true],
      labels: { node: 'orch-a' },
    },
    { name: 'payload', type: 'json', arrowType: 'Binary', nullable: true, values: [{ a: 1 }, null, [2]] },
  ],
};

it('gives every field Grafana JSON type and Go type info', () => {
  const json = toDataFrameJSON(frame);
  expect(json.schema.fields.map((f) => [f.name, f.type, f.typeInfo])).toEqual([
    ['time', 'time', { frame: 'time.Time' }],
    ['latency_ms', 'number', { frame: 'float64', nullable: true }],
    ['count', 'number', { frame: 'int64' }],
    ['status', 'string', { frame: 'string', nullable: true }],
    ['up', 'boolean', { frame: 'bool' }],
    ['payload', 'other', { frame: 'json.RawMessage', nullable: true }],
  ]);
  expect(json.schema).toMatchObject({ name: 'health', refId: 'A', meta: { preferredVisualisationType: 'table' } });
  expect(json.schema.fields[1].config).toEqual({ unit: 'ms' });
  expect(json.schema.fields[4].labels).toEqual({ node: 'orch-a' });
});

it('sends NaN and infinities as null plus entities, bigints as numbers', () => {
  const json = toDataFrameJSON(frame);
  expect(json.data.values[1]).toEqual([1.5, null, null]);
  expect(json.data.entities?.[1]).toEqual({ NaN: [1], NegInf: [2] });
  expect(json.data.entities?.[0]).toBeNull();
  expect(json.data.values[2]).toEqual([7, 8, 9]);
  // The whole body survives JSON (what the browser receives).
  expect(JSON.parse(JSON.stringify(json))).toEqual(json);
});

it('leaves entities out when every value is finite', () => {
  const json = toDataFrameJSON({ name: '', refId: 'B', fields: [frame.fields[0]] });
  expect(json.data.entities).toBeUndefined();
  expect(json.schema.name).toBeUndefined();
});

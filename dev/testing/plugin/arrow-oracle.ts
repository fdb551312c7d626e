// The Arrow IPC writer the plugin used before src/backend/protocol/arrow-ipc.ts: apache-arrow 21's
// RecordBatchFileWriter, fed the way encodeFrame fed it at 90bf5be. Kept as the oracle the new writer must match
// byte for byte (arrow-ipc.test.ts) and as the baseline of bench/arrow-writer.ts. Not shipped.
import {
  Binary,
  Bool,
  type Data,
  type DataType,
  Field as ArrowField,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  TimestampNanosecond,
  Utf8,
} from 'apache-arrow';

import type { ArrowColumnType, ArrowFile } from '../../../src/backend/protocol/arrow-ipc';
import type { FieldType, Frame } from '../../../src/backend/protocol/types';

const ARROW_TYPES: Record<FieldType, DataType> = {
  time: new TimestampNanosecond(),
  number: new Float64(),
  int64: new Int64(),
  string: new Utf8(),
  boolean: new Bool(),
  json: new Binary(),
};
const TSTYPE: Record<FieldType, string> = {
  time: 'time',
  number: 'number',
  int64: 'number',
  string: 'string',
  boolean: 'boolean',
  json: 'other',
};
const hasKeys = (o: object | undefined): o is object => !!o && Object.keys(o).length > 0;

/**
 * encodeFrame as it was before arrow-ipc.ts: the types and metadata are made from the frame as that code made them;
 * only the column buffers are taken from `built` (frameColumns: frame.ts's column builders, unchanged).
 */
export function apacheArrowFile(frame: Frame, refId: string, built: ArrowFile): Uint8Array {
  const fields: Array<ArrowField<DataType>> = [];
  const children: Data[] = [];
  frame.fields.forEach((field, i) => {
    const c = built.columns[i];
    const type = ARROW_TYPES[field.type];
    children.push(
      makeData({
        type,
        length: built.length,
        nullCount: c.nullCount,
        nullBitmap: c.validity,
        valueOffsets: c.offsets,
        data: c.values,
      } as Parameters<typeof makeData>[0])
    );
    const metadata = new Map([['tstype', TSTYPE[field.type]]]);
    if (hasKeys(field.labels)) {
      metadata.set('labels', JSON.stringify(field.labels));
    }
    if (hasKeys(field.config)) {
      metadata.set('config', JSON.stringify(field.config));
    }
    fields.push(new ArrowField(field.name, type, !!field.nullable, metadata));
  });
  const schemaMeta = new Map([
    ['name', frame.name ?? ''],
    ['refId', refId],
  ]);
  if (frame.meta && hasKeys(frame.meta)) {
    schemaMeta.set('meta', JSON.stringify(frame.meta));
  }
  const schema = new Schema(fields, schemaMeta);
  const batch = new RecordBatch(
    new Schema([]),
    makeData({ type: new Struct(schema.fields), length: built.length, children })
  );
  (batch as { schema: Schema }).schema = schema;
  return RecordBatchFileWriter.writeAll([batch]).toUint8Array(true);
}

const COLUMN_TYPES: Record<ArrowColumnType, DataType> = {
  'timestamp-ns': ARROW_TYPES.time,
  float64: ARROW_TYPES.number,
  int64: ARROW_TYPES.int64,
  utf8: ARROW_TYPES.string,
  bool: ARROW_TYPES.boolean,
  binary: ARROW_TYPES.json,
};

/** apache-arrow's writer on columns as given (names, types, metadata and all), for what no frame produces. */
export function apacheArrowColumns(file: ArrowFile): Uint8Array {
  const fields = file.columns.map((c) => new ArrowField(c.name, COLUMN_TYPES[c.type], c.nullable, new Map(c.metadata)));
  const children = file.columns.map((c, i) =>
    makeData({
      type: fields[i].type,
      length: file.length,
      nullCount: c.nullCount,
      nullBitmap: c.validity,
      valueOffsets: c.offsets,
      data: c.values,
    } as Parameters<typeof makeData>[0])
  );
  const schema = new Schema(fields, new Map(file.metadata));
  const batch = new RecordBatch(new Schema([]), makeData({ type: new Struct(fields), length: file.length, children }));
  (batch as { schema: Schema }).schema = schema;
  return RecordBatchFileWriter.writeAll([batch]).toUint8Array(true);
}

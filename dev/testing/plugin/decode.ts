import { type Field, RecordBatchFileReader, type RecordBatch, type Schema, Type } from 'apache-arrow';

// Decodes the Arrow IPC files the plugin returns into plain JS, the way Grafana's Go SDK reads them.

export type DecodedFieldType = 'time' | 'number' | 'int64' | 'string' | 'boolean' | 'json' | 'other';

export interface DecodedField {
  name: string;
  type: DecodedFieldType;
  /** The Arrow type as apache-arrow prints it, e.g. `Timestamp<NANOSECOND>`, `Utf8`. */
  arrowType: string;
  nullable: boolean;
  /** time -> epoch ms number; int64 -> number (bigint beyond 2^53); json -> parsed value; nulls stay null. */
  values: unknown[];
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
  tstype?: string;
}

export interface DecodedFrame {
  name: string;
  refId: string;
  meta?: Record<string, unknown>;
  fields: DecodedField[];
}

interface SyncFileReader {
  open(): void;
  isFile(): boolean;
  numRecordBatches: number;
  schema: Schema;
  readRecordBatch(i: number): RecordBatch | null;
}

const MAGIC = Buffer.from('ARROW1');

export function isArrowFile(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.length >= 12 && b.subarray(0, 6).equals(MAGIC) && b.subarray(b.length - 6).equals(MAGIC);
}

function fieldType(field: Field): DecodedFieldType {
  switch (field.type.typeId) {
    case Type.Timestamp:
      return 'time';
    case Type.Float:
      return 'number';
    case Type.Int:
      return 'int64';
    case Type.Utf8:
      return 'string';
    case Type.Bool:
      return 'boolean';
    case Type.Binary:
      return 'json';
    default:
      return 'other';
  }
}

function plain(type: DecodedFieldType, v: unknown): unknown {
  if (v === null || v === undefined) {
    return null;
  }
  if (type === 'int64' && typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (type === 'json' && v instanceof Uint8Array) {
    return JSON.parse(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8'));
  }
  return v;
}

function jsonMeta(value: string | undefined): any {
  return value === undefined ? undefined : JSON.parse(value);
}

/** Throws when the bytes are not an Arrow IPC file (the Go SDK rejects the stream format). */
export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  if (!isArrowFile(bytes)) {
    throw new Error('not an Arrow IPC file (magic ARROW1 missing at the start or the end)');
  }
  const reader = RecordBatchFileReader.from(bytes) as unknown as SyncFileReader;
  reader.open();
  const batches: RecordBatch[] = [];
  for (let i = 0; i < reader.numRecordBatches; i++) {
    batches.push(reader.readRecordBatch(i)!);
  }
  const schema = reader.schema;
  const fields = schema.fields.map((f, index): DecodedField => {
    const type = fieldType(f);
    const values: unknown[] = [];
    for (const batch of batches) {
      const column = batch.getChildAt(index)!;
      for (let i = 0; i < column.length; i++) {
        values.push(plain(type, column.get(i)));
      }
    }
    return {
      name: f.name,
      type,
      arrowType: String(f.type),
      nullable: f.nullable,
      values,
      labels: jsonMeta(f.metadata.get('labels')),
      config: jsonMeta(f.metadata.get('config')),
      tstype: f.metadata.get('tstype'),
    };
  });
  return {
    name: schema.metadata.get('name') ?? '',
    refId: schema.metadata.get('refId') ?? '',
    meta: jsonMeta(schema.metadata.get('meta')),
    fields,
  };
}

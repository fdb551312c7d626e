import { Builder } from 'flatbuffers';

// One record batch as an Arrow IPC *file*, byte for byte what apache-arrow 21's RecordBatchFileWriter writes for
// the same columns (arrow-ipc.test.ts compares the two): "ARROW1" and 2 bytes of padding (apache-arrow's file
// writer puts no schema message before the batch), the batch's message (continuation marker -1, metadata length,
// flatbuffer Message padded to 8), its body (each buffer padded to 8), the end-of-stream marker (-1, 0), the Footer
// flatbuffer (schema, one Block), the footer's length and "ARROW1". The flatbuffers are built with the calls of
// apache-arrow's ipc/metadata/message.ts and file.ts in the same order, so the builder lays them out identically.
// Only what Grafana frames use: six flat types, no dictionaries, no nesting, no compression.

export type ArrowColumnType = 'timestamp-ns' | 'float64' | 'int64' | 'utf8' | 'bool' | 'binary';

export interface ArrowColumn {
  name: string;
  type: ArrowColumnType;
  nullable: boolean;
  metadata: ReadonlyMap<string, string>;
  nullCount: number;
  /** One bit per row, set when the row has a value; only when nullCount > 0. */
  validity?: Uint8Array;
  /** Utf8 and Binary: length + 1 byte offsets into `values`. */
  offsets?: Int32Array;
  /** 8 bytes a row (timestamp-ns, float64, int64), one bit a row (bool), or the bytes of every value. */
  values: Uint8Array | Float64Array | BigInt64Array;
}

export interface ArrowFile {
  length: number;
  columns: readonly ArrowColumn[];
  metadata: ReadonlyMap<string, string>;
}

// The Type union of Arrow's Schema.fbs; MetadataVersion V5, MessageHeader RecordBatch, TimeUnit NANOSECOND,
// Precision DOUBLE.
const TYPE_ID: Record<ArrowColumnType, number> = {
  int64: 2,
  float64: 3,
  binary: 4,
  utf8: 5,
  bool: 6,
  'timestamp-ns': 10,
};
const V5 = 4;
const RECORD_BATCH = 3;
const NANOSECOND = 3;
const DOUBLE = 2;

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // ARROW1
const EMPTY = new Uint8Array(0);

// Reused: a frame is encoded synchronously, and clear() leaves a builder as new (layout depends only on offsets
// from the end of its buffer, never on its capacity).
const message = new Builder(1024);
const footer = new Builder(1024);

const align8 = (n: number) => (n + 7) & ~7;

function bytesOf(view: ArrayBufferView, byteLength: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, byteLength);
}

/** Writes an int64 as flatbuffers' writeInt64 does (low word first), without a BigInt; 0 <= value < 2^53. */
function writeInt64(b: Builder, value: number): void {
  b.writeInt32(Math.floor(value / 2 ** 32));
  b.writeInt32(value >>> 0);
}

/** The body's buffers in the order apache-arrow's VectorAssembler visits them; `null` bytes are zeros. */
function bodyBuffers(file: ArrowFile): { bytes: Array<Uint8Array | null>; lengths: number[] } {
  const bytes: Array<Uint8Array | null> = [];
  const lengths: number[] = [];
  const add = (b: Uint8Array | null, length: number) => {
    bytes.push(b);
    lengths.push(length);
  };
  const n = file.length;
  for (const c of file.columns) {
    if (c.nullCount > 0) {
      add(c.validity!, c.validity!.byteLength);
    } else {
      add(EMPTY, 0);
    }
    switch (c.type) {
      case 'utf8':
      case 'binary':
        add(bytesOf(c.offsets!, (n + 1) * 4), (n + 1) * 4);
        add(bytesOf(c.values, c.offsets![n]), c.offsets![n]);
        break;
      case 'bool':
        // apache-arrow writes an all-null (or empty) Bool column's values as zeros
        add(c.nullCount >= n ? null : bytesOf(c.values, (n + 7) >> 3), (n + 7) >> 3);
        break;
      default:
        add(bytesOf(c.values, n * 8), n * 8);
    }
  }
  return { bytes, lengths };
}

function keyValues(b: Builder, metadata: ReadonlyMap<string, string>): number {
  const offsets: number[] = [];
  for (const [k, v] of metadata) {
    const key = b.createString(k);
    const value = b.createString(v);
    b.startObject(2);
    b.addFieldOffset(0, key, 0);
    b.addFieldOffset(1, value, 0);
    offsets.push(b.endObject());
  }
  return offsetVector(b, offsets);
}

function offsetVector(b: Builder, offsets: number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) {
    b.addOffset(offsets[i]);
  }
  return b.endVector();
}

function typeTable(b: Builder, type: ArrowColumnType): number {
  switch (type) {
    case 'timestamp-ns':
      b.startObject(2);
      b.addFieldInt16(0, NANOSECOND, 0);
      return b.endObject();
    case 'float64':
      b.startObject(1);
      b.addFieldInt16(0, DOUBLE, 0);
      return b.endObject();
    case 'int64':
      b.startObject(2);
      b.addFieldInt32(0, 64, 0);
      b.addFieldInt8(1, 1, 0);
      return b.endObject();
    default:
      b.startObject(0);
      return b.endObject();
  }
}

function field(b: Builder, c: ArrowColumn): number {
  const type = typeTable(b, c.type);
  const children = offsetVector(b, []);
  const metadata = c.metadata.size > 0 ? keyValues(b, c.metadata) : -1;
  const name = c.name ? b.createString(c.name) : -1;
  b.startObject(7);
  b.addFieldOffset(3, type, 0);
  b.addFieldInt8(2, TYPE_ID[c.type], 0);
  b.addFieldOffset(5, children, 0);
  b.addFieldInt8(1, +c.nullable, 0);
  if (name !== -1) {
    b.addFieldOffset(0, name, 0);
  }
  if (metadata !== -1) {
    b.addFieldOffset(6, metadata, 0);
  }
  return b.endObject();
}

function schema(b: Builder, file: ArrowFile): number {
  const fields = file.columns.map((c) => field(b, c));
  b.startVector(4, fields.length, 4); // apache-arrow starts the fields vector twice; the second prep adds nothing
  const fieldVector = offsetVector(b, fields);
  const metadata = file.metadata.size > 0 ? keyValues(b, file.metadata) : -1;
  b.startObject(4);
  b.addFieldOffset(1, fieldVector, 0);
  b.addFieldInt16(0, 0, 0); // Endianness.Little, the default: not written
  if (metadata !== -1) {
    b.addFieldOffset(2, metadata, 0);
  }
  return b.endObject();
}

function recordBatchMessage(file: ArrowFile, lengths: number[], bodyLength: number): Uint8Array {
  const b = message;
  b.clear();
  const columns = file.columns;
  b.startVector(16, columns.length, 8);
  for (let i = columns.length - 1; i >= 0; i--) {
    b.prep(8, 16);
    writeInt64(b, columns[i].nullCount);
    writeInt64(b, file.length);
  }
  const nodes = b.endVector();
  b.startVector(16, lengths.length, 8);
  let end = bodyLength;
  for (let i = lengths.length - 1; i >= 0; i--) {
    const length = align8(lengths[i]);
    end -= length;
    b.prep(8, 16);
    writeInt64(b, length);
    writeInt64(b, end);
  }
  const buffers = b.endVector();
  b.startObject(5);
  b.addFieldInt64(0, BigInt(file.length), BigInt(0));
  b.addFieldOffset(1, nodes, 0);
  b.addFieldOffset(2, buffers, 0);
  const header = b.endObject();
  b.startObject(5);
  b.addFieldInt16(0, V5, 0);
  b.addFieldOffset(2, header, 0);
  b.addFieldInt8(1, RECORD_BATCH, 0);
  b.addFieldInt64(3, BigInt(bodyLength), BigInt(0));
  b.finish(b.endObject());
  return b.asUint8Array();
}

function footerBytes(file: ArrowFile, blockOffset: number, metaDataLength: number, bodyLength: number): Uint8Array {
  const b = footer;
  b.clear();
  const schemaOffset = schema(b, file);
  b.startVector(24, 1, 8);
  b.prep(8, 24);
  writeInt64(b, bodyLength);
  b.pad(4);
  b.writeInt32(metaDataLength);
  writeInt64(b, blockOffset);
  const recordBatches = b.endVector();
  b.startVector(24, 0, 8);
  const dictionaries = b.endVector();
  b.startObject(5);
  b.addFieldOffset(1, schemaOffset, 0);
  b.addFieldInt16(0, V5, 0);
  b.addFieldOffset(3, recordBatches, 0);
  b.addFieldOffset(2, dictionaries, 0);
  b.finish(b.endObject());
  return b.asUint8Array();
}

/** The Arrow IPC file of one record batch holding `file.columns`. */
export function writeArrowFile(file: ArrowFile): Uint8Array {
  const { bytes, lengths } = bodyBuffers(file);
  let bodyLength = 0;
  for (const length of lengths) {
    bodyLength += align8(length);
  }
  const meta = recordBatchMessage(file, lengths, bodyLength);
  const metaDataLength = align8(8 + meta.byteLength);
  const foot = footerBytes(file, 8, metaDataLength, bodyLength);

  const bodyStart = 8 + metaDataLength;
  const footerStart = bodyStart + bodyLength + 8;
  const out = new Uint8Array(footerStart + foot.byteLength + 4 + MAGIC.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out.fill(0xff, 8, 12); // continuation marker: int32 -1
  view.setInt32(12, metaDataLength - 8, true);
  out.set(meta, 16);
  let at = bodyStart;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== null) {
      out.set(b, at);
    }
    at += align8(lengths[i]);
  }
  out.fill(0xff, footerStart - 8, footerStart - 4); // end of stream: int32 -1, then int32 0
  out.set(foot, footerStart);
  view.setInt32(footerStart + foot.byteLength, foot.byteLength, true);
  out.set(MAGIC, footerStart + foot.byteLength + 4);
  return out;
}

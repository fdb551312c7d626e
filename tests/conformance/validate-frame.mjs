#!/usr/bin/env node
// Checks that a file holds a data frame the way grafana-plugin-sdk-go's
// data.UnmarshalArrowFrame will accept it (data/arrow.go):
//   - Arrow IPC FILE format (magic "ARROW1" at both ends; the SDK uses ipc.NewFileReader)
//   - schema metadata keys "name" and "refId" (SDK always writes both), "meta" JSON if present
//   - field types limited to what initializeFrameField() accepts
//   - Timestamp unit NANOSECOND (the SDK decodes raw values as ns whatever the unit says)
//   - field metadata "labels"/"config" valid JSON if present; "tstype" expected
// Usage: node validate-frame.mjs [--refId A] FILE   -> prints a one-line summary, exit 1 on violations
import { readFileSync } from 'node:fs';
import { RecordBatchFileReader, Type, TimeUnit } from 'apache-arrow';

const args = process.argv.slice(2);
let expectRef = null;
if (args[0] === '--refId') {
  expectRef = args[1];
  args.splice(0, 2);
}
const buf = readFileSync(args[0]);
const problems = [];
const warnings = [];
const magic = Buffer.from('ARROW1');
if (!(buf.subarray(0, 6).equals(magic) && buf.subarray(buf.length - 6).equals(magic))) {
  problems.push('not Arrow IPC file format (stream format is rejected by the Go SDK)');
}
let summary = '';
try {
  const reader = RecordBatchFileReader.from(buf);
  reader.open(); // schema is only available once opened
  const schema = reader.schema;
  const batches = [];
  for (let i = 0; i < reader.numRecordBatches; i++) {
    batches.push(reader.readRecordBatch(i));
  }
  const md = schema.metadata;
  for (const k of ['name', 'refId']) {
    if (!md.has(k)) {
      warnings.push(`schema metadata "${k}" missing`);
    }
  }
  if (expectRef !== null && md.get('refId') !== expectRef) {
    problems.push(`refId "${md.get('refId')}" != "${expectRef}"`);
  }
  if (md.has('meta')) {
    try {
      JSON.parse(md.get('meta'));
    } catch {
      problems.push('schema metadata "meta" is not JSON');
    }
  }
  const allowed = new Set([Type.Utf8, Type.Int, Type.Float, Type.Bool, Type.Timestamp, Type.Binary]);
  const descr = [];
  for (const f of schema.fields) {
    const t = f.type;
    if (!allowed.has(t.typeId)) {
      problems.push(`field ${f.name}: unsupported Arrow type ${t} (e.g. Dictionary/Date/LargeUtf8)`);
    }
    if (t.typeId === Type.Float && t.precision === 0) {
      problems.push(`field ${f.name}: Float16 unsupported`);
    }
    if (t.typeId === Type.Timestamp && t.unit !== TimeUnit.NANOSECOND) {
      problems.push(`field ${f.name}: Timestamp unit ${TimeUnit[t.unit]} (SDK reads values as nanoseconds)`);
    }
    for (const k of ['labels', 'config']) {
      if (f.metadata.has(k)) {
        try {
          JSON.parse(f.metadata.get(k));
        } catch {
          problems.push(`field ${f.name}: metadata ${k} is not JSON`);
        }
      }
    }
    if (!f.metadata.has('tstype')) {
      warnings.push(`field ${f.name}: no tstype metadata`);
    }
    descr.push(`${f.name}:${t}${f.nullable ? '?' : ''}`);
  }
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  summary = `name=${JSON.stringify(md.get('name'))} refId=${JSON.stringify(md.get('refId'))} rows=${rows} batches=${batches.length} fields=[${descr.join(', ')}]`;
} catch (e) {
  problems.push(`cannot read as Arrow file: ${e.message}`);
}
const out = [summary, ...warnings.map((w) => `warn: ${w}`), ...problems.map((p) => `error: ${p}`)]
  .filter(Boolean)
  .join(' | ');
console.log(out);
process.exit(problems.length ? 1 : 0);

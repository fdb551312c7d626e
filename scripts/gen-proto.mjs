#!/usr/bin/env node
// Turns src/backend/protocol/proto/*.proto into the JSON descriptor the backend loads with
// protoLoader.fromJSON (a Bun-compiled executable cannot read .proto files at run time).
//   node scripts/gen-proto.mjs           write src/backend/protocol/proto/descriptor.json
//   node scripts/gen-proto.mjs --check   exit 1 if the committed descriptor is stale
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const here = dirname(fileURLToPath(import.meta.url));
const protoDir = join(here, '..', 'src', 'backend', 'protocol', 'proto');
const outFile = join(protoDir, 'descriptor.json');
const files = ['pluginv2.proto', 'goplugin.proto', 'health.proto'];

export function generateDescriptor() {
  const root = new protobuf.Root();
  root.loadSync(
    files.map((f) => join(protoDir, f)),
    { keepCase: true }
  );
  root.resolveAll();
  return JSON.stringify(root.toJSON(), null, 2) + '\n';
}

const text = generateDescriptor();
if (process.argv.includes('--check')) {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (current !== text) {
    console.error(`${outFile} is stale: run node scripts/gen-proto.mjs`);
    process.exit(1);
  }
  console.log('proto descriptor is current');
} else {
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}`);
}

// CI needs nothing beside the repository: no script, test, workflow or document reaches into the project
// workspace's ../shared folder (the conformance harness, grpc-load and the KiCI samples live in the repo now).
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const ROOTS = [
  '.ci',
  '.github',
  'scripts',
  'dev',
  'tests',
  'bench',
  'src',
  'deploy',
  'provisioning',
  'README.md',
  'package.json',
];
const SKIP = new Set(['node_modules', 'samples', 'dist', '.build']);
const OUTSIDE = /(\.\.\/shared\b|\/work\/shared\b|\$shared\/)/;

function files(rel: string): string[] {
  const abs = path.join(REPO, rel);
  if (!fs.existsSync(abs)) {
    return [];
  }
  if (fs.statSync(abs).isFile()) {
    return [rel];
  }
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => !SKIP.has(e.name))
    .flatMap((e) => (e.isDirectory() ? files(path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

it('has no path into ../shared anywhere CI, the tests or the README read', () => {
  const found = ROOTS.flatMap(files)
    .filter((f) => !/\.(png|zip|wasm)$/.test(f) && f !== path.join('tests', 'packaging', 'self-contained.test.ts'))
    .flatMap((f) =>
      fs
        .readFileSync(path.join(REPO, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (OUTSIDE.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : []))
    );
  expect(found).toEqual([]);
});

it('keeps what used to be there: the harness, grpc-load and the KiCI 0.9.1 samples', () => {
  for (const f of [
    'tests/conformance/main.go',
    'tests/conformance/build.sh',
    'tests/conformance/validate-frame.mjs',
    'bench/grpc-load/main.go',
    'bench/grpc-load/build.sh',
    'dev/kici-sim/samples/0.9.1/INDEX.tsv',
    'dev/kici-sim/samples/0.9.1/cluster/INDEX.tsv',
    'dev/kici-sim/samples/0.9.1/dlq/INDEX.tsv',
    'dev/kici-sim/samples/0.9.1/raw/INDEX.tsv',
  ]) {
    expect({ f, exists: fs.existsSync(path.join(REPO, f)) }).toEqual({ f, exists: true });
  }
});

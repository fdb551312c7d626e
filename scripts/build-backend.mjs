#!/usr/bin/env node
// Compiles src/backend/main.ts into one executable per Grafana os/arch with the repo's pinned Bun.
//   node scripts/build-backend.mjs                    all targets
//   node scripts/build-backend.mjs --host-only        only this machine's platform (what `npm test` uses)
//   node scripts/build-backend.mjs --targets linux_amd64,darwin_arm64
// Bun fetches each cross-compilation runtime (@oven/bun-<target>) from the npm registry on first use.
// Never strip the outputs: the app lives in a section of the binary and `strip` turns it back into plain `bun`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, statSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const bun = join(repo, 'node_modules', '.bin', process.platform === 'win32' ? 'bun.exe' : 'bun');
const outDir = join(repo, 'dist', 'datasource');
const entry = join(repo, 'src', 'backend', 'main.ts');
const EXECUTABLE = 'gpx_kici_ops';

// Grafana's <os>_<arch> names -> Bun's compile targets.
const TARGETS = {
  linux_amd64: 'bun-linux-x64',
  linux_arm64: 'bun-linux-arm64',
  darwin_amd64: 'bun-darwin-x64',
  darwin_arm64: 'bun-darwin-arm64',
  windows_amd64: 'bun-windows-x64',
};

function hostTarget() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform];
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  const name = `${os}_${arch}`;
  if (!TARGETS[name]) {
    throw new Error(`no Bun target for this host (${process.platform}/${process.arch})`);
  }
  return name;
}

function parseArgs(argv) {
  if (argv.includes('--host-only')) {
    return [hostTarget()];
  }
  const i = argv.indexOf('--targets');
  if (i >= 0) {
    const names = (argv[i + 1] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !TARGETS[n]);
    if (!names.length || unknown.length) {
      throw new Error(
        `--targets takes a comma-separated subset of ${Object.keys(TARGETS).join(', ')}; got "${argv[i + 1] ?? ''}"`
      );
    }
    return names;
  }
  return Object.keys(TARGETS);
}

export function outputName(target) {
  return `${EXECUTABLE}_${target}${target.startsWith('windows') ? '.exe' : ''}`;
}

function main() {
  const targets = parseArgs(process.argv.slice(2));
  // A stale descriptor would ship an old wire format.
  execFileSync(process.execPath, [join(repo, 'scripts', 'gen-proto.mjs'), '--check'], { stdio: 'inherit' });
  mkdirSync(outDir, { recursive: true });
  for (const target of targets) {
    const outfile = join(outDir, outputName(target));
    rmSync(outfile, { force: true });
    const args = [
      'build',
      '--compile',
      '--minify',
      '--bytecode',
      '--no-compile-autoload-dotenv',
      '--no-compile-autoload-bunfig',
      `--target=${TARGETS[target]}`,
      entry,
      '--outfile',
      outfile,
    ];
    const started = Date.now();
    const r = spawnSync(bun, args, { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) {
      process.stdout.write(r.stdout ?? '');
      throw new Error(`bun build for ${target} failed (exit ${r.status ?? r.signal})`);
    }
    const bytes = statSync(outfile).size;
    console.log(
      `${relative(repo, outfile)}  ${bytes.toLocaleString('en-US')} bytes (${(bytes / 2 ** 20).toFixed(1)} MiB)  ${Date.now() - started} ms`
    );
  }
}

try {
  main();
} catch (err) {
  console.error(`build-backend: ${err.message}`);
  process.exit(1);
}

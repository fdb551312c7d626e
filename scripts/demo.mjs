#!/usr/bin/env node
// `npm run demo`: the KiCI app in a browser without Docker or Grafana. Builds what is missing (plugin frontend,
// this machine's backend executable, the host bundle), then starts an embedded PostgreSQL, kici-sim in live mode
// (cluster-3 as the `kici` datasource, dlq-backlog and secrets-degraded as `?ds=` alternatives), the real backend
// executable and the browser host, and prints the URL. Ctrl-C stops everything.
//   npm run demo                        port 3111
//   npm run demo -- --port 8080 --rate 5 --scenarios cluster-3
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform];
const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
const executable = join(repo, 'dist', 'datasource', `gpx_kici_ops_${os}_${arch}${os === 'windows' ? '.exe' : ''}`);

function run(cmd, args) {
  console.error(`demo: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

const args = process.argv.slice(2);
const rebuild = args.includes('--rebuild');
if (rebuild || !existsSync(join(repo, 'dist', 'module.js'))) {
  run(npm, ['run', 'build:frontend']);
}
if (rebuild || !existsSync(executable)) {
  run(npm, ['run', 'build:backend', '--', '--host-only']);
}
run(process.execPath, [join(repo, 'tests', 'host', 'build.mjs')]);

const passThrough = args.filter((a) => a !== '--rebuild');
const hasFlag = (name) => passThrough.some((a) => a === name || a.startsWith(`${name}=`));
const host = spawn(
  join(repo, 'node_modules', '.bin', 'tsx'),
  [
    join(repo, 'tests', 'host', 'bridge', 'main.ts'),
    '--live',
    ...(hasFlag('--scenarios') ? [] : ['--scenarios', 'cluster-3,dlq-backlog,secrets-degraded']),
    ...(hasFlag('--port') ? [] : ['--port', '3111']),
    ...passThrough,
  ],
  { cwd: repo, stdio: 'inherit' }
);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => host.kill(sig));
}
host.on('exit', (code) => process.exit(code ?? 0));

#!/usr/bin/env node
// Cold start of a plugin executable: spawn with Grafana's env -> first stdout line
// (the go-plugin handshake), then RSS of the process, then SIGKILL.
// Usage: node coldstart.mjs [-n 10] EXE [EXE...]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let n = 10;
if (args[0] === '-n') {
  n = Number(args[1]);
  args.splice(0, 2);
}

function rssKB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

function once(exe) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(exe, [], {
      env: {
        ...process.env,
        grafana_plugin_type: 'datasource',
        PLUGIN_PROTOCOL_VERSIONS: '2',
        PLUGIN_MIN_PORT: '10000',
        PLUGIN_MAX_PORT: '25000',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('timeout'));
    }, 30000);
    child.stdout.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i < 0) {
        return;
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const line = buf.slice(0, i);
      // let it settle briefly so RSS reflects the idle, started process
      setTimeout(() => {
        const rss = rssKB(child.pid);
        clearTimeout(timer);
        child.once('exit', () => resolve({ ms, rss, line }));
        child.kill('SIGKILL');
      }, 200);
    });
    child.on('error', reject);
  });
}

const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const exe of args) {
  const r = [];
  for (let i = 0; i < n; i++) {
    r.push(await once(exe));
  }
  const ms = r.map((x) => x.ms);
  const rss = r.map((x) => x.rss);
  console.log(
    JSON.stringify({
      exe,
      n,
      handshake_median_ms: +med(ms).toFixed(1),
      min_ms: +Math.min(...ms).toFixed(1),
      max_ms: +Math.max(...ms).toFixed(1),
      rss_median_kb: med(rss),
      line: r[0].line,
    })
  );
}

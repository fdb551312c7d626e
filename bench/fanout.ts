// Health answer time with 1, 10, 50 and 200 orchestrator URLs, half of them black holes (loopback listeners that
// accept and never answer), the other half answering every route at once. CheckHealth through the executable over
// gRPC, as Grafana calls it; httpTimeoutMs 2000. Goal (issue 14 item 13): the whole answer within one
// httpTimeoutMs plus HEALTH_MARGIN_MS, whatever the count (URLs past MAX_HEALTH_ORCHESTRATORS are not checked and
// are reported as a settings warning). Median of 3 per count; writes bench/results/fanout.json.
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { defaultExecutable, startPlugin } from '../dev/testing/plugin-process';
import { HEALTH_MARGIN_MS } from '../src/backend/features/health/checks';

// KICI_BENCH_FANOUT_COUNTS=1,10 and KICI_BENCH_FANOUT_RUNS=1 shorten a run (e.g. against an older build).
const COUNTS = (process.env.KICI_BENCH_FANOUT_COUNTS ?? '1,10,50,200').split(',').map(Number);
const HTTP_TIMEOUT_MS = 2_000;
const RUNS = Number(process.env.KICI_BENCH_FANOUT_RUNS ?? 3);

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function main() {
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];
  const hole = async () => {
    const s = net.createServer((c) => sockets.push(c));
    servers.push(s);
    return listen(s);
  };
  const answering = async () => {
    const s = http.createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{}'));
    servers.push(s);
    return listen(s);
  };
  const plugin = await startPlugin({ executable: process.env.KICI_BENCH_EXECUTABLE ?? defaultExecutable() });
  const results: Array<{ urls: number; blackHoles: number; medianMs: number; status: string }> = [];
  try {
    for (const n of COUNTS) {
      const holes = Math.ceil(n / 2);
      const urls = [
        ...(await Promise.all(Array.from({ length: holes }, hole))),
        ...(await Promise.all(Array.from({ length: n - holes }, answering))),
      ];
      const times: number[] = [];
      let status = '';
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const h = await plugin.checkHealth({
          uid: `fanout-${n}-${i}`,
          jsonData: { orchestratorUrls: urls, httpTimeoutMs: HTTP_TIMEOUT_MS },
          secureJsonData: { adminToken: 'bench' },
        });
        times.push(performance.now() - t0);
        status = h.status;
      }
      times.sort((a, b) => a - b);
      const median = Math.round(times[Math.floor(times.length / 2)]);
      results.push({ urls: n, blackHoles: holes, medianMs: median, status });
      console.log(`${n} URLs (${holes} black holes): ${median} ms (${status})`);
    }
  } finally {
    await plugin.stop();
    sockets.forEach((s) => s.destroy());
    servers.forEach((s) => s.close());
  }
  const goalMs = HTTP_TIMEOUT_MS + HEALTH_MARGIN_MS;
  const out = { httpTimeoutMs: HTTP_TIMEOUT_MS, goalMs, results };
  await mkdir(path.join(__dirname, 'results'), { recursive: true });
  await writeFile(path.join(__dirname, 'results', 'fanout.json'), JSON.stringify(out, null, 2));
  console.log(`goal: every answer ≤ ${goalMs} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

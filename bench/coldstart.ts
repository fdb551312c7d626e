// Cold start of the compiled executable as Grafana starts it: spawn → go-plugin handshake line on stdout, and the
// resident set size (VmRSS) right after the handshake and once the plugin's modules are loaded (after a first
// QueryData). Median of 10 starts; writes bench/results/coldstart.json. Linux (reads /proc).
//
//   npm run build:backend -- --host-only && npx tsx bench/coldstart.ts
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { defaultExecutable, startPlugin } from '../dev/testing/plugin-process';

const STARTS = 10;
const GOAL = { handshakeMs: 40, rssMb: 60 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const round = (x: number) => Math.round(x * 10) / 10;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}

async function main() {
  const executable = process.env.KICI_BENCH_EXECUTABLE ?? defaultExecutable();
  const handshake: number[] = [];
  const rssAtHandshake: number[] = [];
  const rssLoaded: number[] = [];
  const firstQuery: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const t0 = performance.now();
    const plugin = await startPlugin({ executable });
    handshake.push(performance.now() - t0);
    try {
      rssAtHandshake.push(rssMb(plugin.pid));
      const q0 = performance.now();
      const out = await plugin.queryData({ uid: 'coldstart', jsonData: {} }, [
        { refId: 'A', queryType: 'dlqDepth', json: { refId: 'A', queryType: 'dlqDepth' } },
      ]);
      firstQuery.push(performance.now() - q0);
      if (!out.A.error) {
        throw new Error('expected the unconfigured datasource to refuse the query');
      }
      rssLoaded.push(rssMb(plugin.pid));
    } finally {
      await plugin.stop();
    }
  }
  const result = {
    executable: path.relative(process.cwd(), executable),
    starts: STARTS,
    goal: GOAL,
    medianMs: { handshake: round(median(handshake)), firstQuery: round(median(firstQuery)) },
    medianRssMb: { atHandshake: round(median(rssAtHandshake)), afterFirstQuery: round(median(rssLoaded)) },
    samples: {
      handshakeMs: handshake.map(round),
      firstQueryMs: firstQuery.map(round),
      rssAtHandshakeMb: rssAtHandshake.map(round),
      rssAfterFirstQueryMb: rssLoaded.map(round),
    },
    measuredAt: new Date().toISOString(),
  };
  console.log(`cold start of ${result.executable}: median of ${STARTS} starts\n`);
  console.log('| measure                                   | median | min | max | goal |');
  console.log('|-------------------------------------------|-------:|----:|----:|-----:|');
  const row = (name: string, xs: number[], goal: string) =>
    console.log(
      `| ${name.padEnd(41)} | ${round(median(xs)).toFixed(1).padStart(6)} | ${round(Math.min(...xs))
        .toFixed(1)
        .padStart(3)} | ${round(Math.max(...xs))
        .toFixed(1)
        .padStart(3)} | ${goal.padStart(4)} |`
    );
  row('spawn → handshake line (ms)', handshake, `${GOAL.handshakeMs}`);
  row('RSS at the handshake (MB)', rssAtHandshake, `${GOAL.rssMb}`);
  row('first QueryData, plugin loading (ms)', firstQuery, '');
  row('RSS after the first query (MB)', rssLoaded, `${GOAL.rssMb}`);
  const out = path.join(__dirname, 'results', 'coldstart.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// The Infrastructure page in Debian Chromium on the `big` scenario (50 orchestrators, 5,000 agents): the built
// plugin in the browser host (tests/host) against the real executable, kici-sim and PostgreSQL. Timed in the page
// (performance.now), so the numbers are the browser's: the first render from the moment `GET infrastructure`'s body
// arrived until the 50 orchestrator rows are laid out, and each interaction from the click (or keystroke) until the
// DOM it should produce is laid out, at the animation frame that shows it. Also the DOM size and JS heap at the
// end. Median of 10 per measure; writes bench/results/infrastructure-render.json.
//
//   npm run build:frontend && node tests/host/build.mjs && npx tsx bench/infrastructure-render.ts
//   CHROMIUM_PATH=/path/to/chrome npx tsx bench/infrastructure-render.ts
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { chromium, type Page } from '@playwright/test';

import { BIG_KNOWN } from '../dev/kici-sim/scenarios/big';
import { testIds } from '../src/components/testIds';
import { AGENT_PAGE_SIZE } from '../src/pages/infrastructure/tree';
import { CHROMIUM_ARGS } from '../tests/e2e/env';
import { REPO_ROOT, startStack } from '../tests/host/bridge/stack';

const RUNS = 10;
const T = testIds.infrastructure;
const sel = (testId: string) => `[data-testid="${testId}"]`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * Runs `act` in the page and resolves with the milliseconds until `done` holds at an animation frame, after a forced
 * layout (so style and layout of the new DOM count, paint does not). Page source as text: tsx would wrap named
 * functions in a helper the page does not have.
 */
async function timed(page: Page, act: string, done: string): Promise<number> {
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    ${act}
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (${done}) {
        document.body.getBoundingClientRect();
        return performance.now() - t0;
      }
      if (performance.now() - t0 > 30000) {
        throw new Error(${JSON.stringify(`not done after 30 s: ${done}`)});
      }
    }
  })()`);
}

const count = (selector: string) => `document.querySelectorAll(${JSON.stringify(selector)}).length`;
const orchestrator = (n: number) => `${sel(T.orchestrator)}[data-name="orch-${String(n).padStart(3, '0')}"]`;

/** Sets a controlled input's value the way a keystroke does (React listens to `input`, not to `value`). */
const typeInto = (selector: string, text: string) => `{
  const input = document.querySelector(${JSON.stringify(selector)});
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(text)});
  input.dispatchEvent(new Event('input', { bubbles: true }));
}`;
const click = (selector: string) => `document.querySelector(${JSON.stringify(selector)}).click();`;

async function main() {
  for (const built of ['dist/module.js', 'tests/host/dist']) {
    if (!existsSync(path.join(REPO_ROOT, built))) {
      throw new Error(`${built} is missing: npm run build:frontend && node tests/host/build.mjs`);
    }
  }
  const t0 = Date.now();
  const stack = await startStack({ scenarios: ['big'], port: 0, log: (l) => console.error(`[host] ${l}`) });
  console.log(`stack with the big scenario up in ${Date.now() - t0} ms`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    const url = `${stack.url}/a/kici-ops-app/infrastructure`;
    const allOrchestrators = `${count(sel(T.orchestrator))} === ${BIG_KNOWN.orchestrators}`;

    // First render: a new page each time; the backend's 5 s cache may answer, the render is what is timed.
    const firstRender: number[] = [];
    const pageToTree: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      const times = await page
        .waitForFunction(
          `${allOrchestrators} && (document.body.getBoundingClientRect(), {
            ready: performance.now(),
            responseEnd: performance.getEntriesByType('resource').find((e) => e.name.includes('/resources/infrastructure'))
              ?.responseEnd,
          })`,
          undefined,
          { polling: 'raf', timeout: 120_000 }
        )
        .then((h) => h.jsonValue() as Promise<{ ready: number; responseEnd?: number }>);
      if (typeof times.responseEnd !== 'number') {
        throw new Error('the page has no Resource Timing entry for GET infrastructure');
      }
      if (i > 0) {
        // The first load warms the HTTP cache and the backend; it is not counted.
        firstRender.push(times.ready - times.responseEnd);
        pageToTree.push(times.ready);
      }
      await page.close();
    }

    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(allOrchestrators, undefined, { polling: 'raf', timeout: 120_000 });
    const measures: Record<string, number[]> = {
      expandOrchestrator: [],
      expandAgents: [],
      showMore: [],
      narrowSearch: [],
      broadSearch: [],
      clearSearch: [],
    };
    // Orchestrators 4.. start collapsed (only three open by default); each run opens another one.
    for (let i = 0; i < RUNS; i++) {
      const o = orchestrator(4 + i);
      measures.expandOrchestrator.push(
        await timed(page, click(`${o} ${sel(T.orchestratorToggle)}`), `${count(`${o} ${sel(T.scaler)}`)} > 0`)
      );
      const agentsBefore = Number(await page.evaluate(count(sel(T.agent))));
      measures.expandAgents.push(
        await timed(
          page,
          click(`${o} ${sel(T.agentGroup)}[data-group="scaler"]`),
          `${count(sel(T.agent))} === ${agentsBefore + AGENT_PAGE_SIZE}`
        )
      );
      measures.showMore.push(
        // React commits the next page at once: any row beyond the first page means it is there.
        await timed(
          page,
          click(`${o} ${sel(T.showMore)}`),
          `${count(sel(T.agent))} > ${agentsBefore + AGENT_PAGE_SIZE}`
        )
      );
    }
    const search = `input${sel(T.search)}`;
    for (let i = 0; i < RUNS; i++) {
      // One agent: one orchestrator left, its pool opened on that agent.
      const agentId = `agent-${String(101 + i * 397).padStart(5, '0')}`;
      measures.narrowSearch.push(
        await timed(
          page,
          typeInto(search, agentId),
          `${count(sel(T.orchestrator))} === 1 && ${count(`${sel(T.agent)}[data-agent-id="${agentId}"]`)} === 1`
        )
      );
      measures.clearSearch.push(await timed(page, typeInto(search, ''), allOrchestrators));
      // Every agent carries `linux`: all 50 orchestrators open (a filter opens what it kept), pools closed.
      measures.broadSearch.push(
        await timed(
          page,
          typeInto(search, 'linux'),
          `${count(sel(T.scaler))} === ${BIG_KNOWN.orchestrators} && ${count(sel(T.agent))} === 0`
        )
      );
      await timed(page, typeInto(search, ''), allOrchestrators);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = Object.fromEntries(
      (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value] as const)
    );

    const result = {
      measuredAt: new Date().toISOString(),
      orchestrators: BIG_KNOWN.orchestrators,
      agents: BIG_KNOWN.agents,
      runs: RUNS,
      medianMs: {
        firstRender: round(median(firstRender)),
        ...Object.fromEntries(Object.entries(measures).map(([k, v]) => [k, round(median(v))])),
      },
      pageToTreeMs: round(median(pageToTree)),
      samplesMs: {
        firstRender: firstRender.map(round),
        ...Object.fromEntries(Object.entries(measures).map(([k, v]) => [k, v.map(round)])),
      },
      atEnd: { domNodes: metrics.Nodes, jsHeapUsedMb: round(metrics.JSHeapUsedSize / 1024 / 1024) },
    };
    for (const [measure, ms] of Object.entries(result.medianMs)) {
      console.log(`${measure.padEnd(20)} ${String(ms).padStart(8)} ms`);
    }
    console.log(`navigation → tree laid out: ${result.pageToTreeMs} ms; at the end ${JSON.stringify(result.atEnd)}`);
    const dir = path.join(__dirname, 'results');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'infrastructure-render.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote bench/results/infrastructure-render.json');
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

#!/usr/bin/env node
// Regenerates src/img/screenshots/<page>.png (dark theme, 1440x900), <page>-light.png (light theme, 1440x900) and
// <page>-1024.png, <page>-1024-light.png (1024x768) for every page plugin.json lists, and the page-level message of a
// failing datasource (<page>-failing-1024[-light].png), from the built plugin in the browser host against kici-sim
// (deterministic scenarios, no live mode).
//   npm run build:frontend && npm run build:backend -- --host-only && node scripts/screenshots.mjs
//   node scripts/screenshots.mjs dlq       also pages not (yet) in plugin.json, by route
//   CHROMIUM_PATH=/path/to/chrome node scripts/screenshots.mjs
//   KICI_SCREENSHOTS_ONLY=dlq-redrive node scripts/screenshots.mjs    one shot: dlq-redrive, dlq-signatures
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from '@playwright/test';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'src', 'img', 'screenshots');
const port = Number(process.env.KICI_SCREENSHOT_PORT ?? 3113);
const base = `http://127.0.0.1:${port}`;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Which scenario shows a page at its most telling (default: cluster-3, the provisioned `kici`). */
const DATASOURCE_FOR = {
  dlq: 'kici-dlq-backlog',
  'secret-backends': 'kici-secrets-degraded',
  secrets: 'kici-secrets-degraded',
};

const built = spawnSync(process.execPath, [join(repo, 'tests', 'host', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) {
  process.exit(built.status ?? 1);
}
const host = spawn(
  join(repo, 'node_modules', '.bin', 'tsx'),
  [
    join(repo, 'tests', 'host', 'bridge', 'main.ts'),
    '--port',
    String(port),
    '--scenarios',
    'cluster-3,dlq-backlog,secrets-degraded',
    '--traffic',
    'secrets-degraded',
  ],
  { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] }
);
const stopHost = () =>
  new Promise((resolve) => {
    host.once('exit', resolve);
    host.kill('SIGTERM');
  });

async function waitForHost() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/__host/state`)).ok) {
        return;
      }
    } catch {}
    if (host.exitCode !== null) {
      throw new Error(`the host exited (${host.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the host did not start within 120 s');
}

/** A requestId whose lines cross tiers (the host's seeded traffic), so the Traces screenshot shows a search. */
async function tracedRequestId() {
  const { lines } = await (await fetch(`${base}/__host/logs`)).json();
  const agent = lines.map((l) => JSON.parse(l.line)).find((j) => j.service === 'agent' && j.requestId);
  return agent?.requestId ?? '';
}

const plugin = JSON.parse(readFileSync(join(repo, 'dist', 'plugin.json'), 'utf8'));
// Every page plugin.json lists, plus any route slug given on the command line (a page not yet in plugin.json).
const pages = plugin.includes
  .filter((i) => i.type === 'page' && i.path)
  .map((i) => ({ name: i.name, path: i.path.replace('%PLUGIN_ID%', plugin.id) }));
for (const slug of process.argv.slice(2)) {
  if (!pages.some((p) => p.path.endsWith(`/${slug}`))) {
    pages.push({ name: slug, path: `/a/${plugin.id}/${slug}` });
  }
}

/** Only this one of the single shots (dlq-signatures, dlq-redrive); the page and failing-datasource shots are skipped. */
const only = process.env.KICI_SCREENSHOTS_ONLY;

let browser;
try {
  await waitForHost();
  mkdirSync(out, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  const written = [];
  const failed = [];
  const variants = [
    { suffix: '', theme: 'dark', viewport: { width: 1440, height: 900 } },
    { suffix: '-light', theme: 'light', viewport: { width: 1440, height: 900 } },
    { suffix: '-1024', theme: 'dark', viewport: { width: 1024, height: 768 } },
    { suffix: '-1024-light', theme: 'light', viewport: { width: 1024, height: 768 } },
  ];
  for (const v of only ? [] : variants) {
    for (const p of pages) {
      const slug = p.path.split('/').pop();
      const ds = DATASOURCE_FOR[slug];
      // A new context per shot: the host keeps ?theme= in localStorage.
      const page = await browser.newPage({ viewport: v.viewport, colorScheme: v.theme });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      try {
        const extra = slug === 'traces' ? `&id=${await tracedRequestId()}` : '';
        await page.goto(`${base}${p.path}?role=Admin&theme=${v.theme}${ds ? `&ds=${ds}` : ''}${extra}`);
        await page.getByTestId('host-plugin-page').waitFor();
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(1500);
        const file = join(out, `${slug}${v.suffix}.png`);
        await page.screenshot({ path: file });
        written.push(
          `src/img/screenshots/${slug}${v.suffix}.png (${p.name}${errors.length ? `; ${errors.length} errors: ${errors[0]}` : ''})`
        );
      } catch (err) {
        failed.push(`${p.path}: ${err.message.split('\n')[0]}`);
      }
      await page.close();
    }
  }
  // The DLQ's error signatures (below the list): the view with one signature's events open.
  if (!only || only === 'dlq-signatures') {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    try {
      await page.goto(`${base}/a/${plugin.id}/dlq?role=Admin&ds=kici-dlq-backlog`);
      const view = page.getByTestId('kici-dlq-signatures');
      await view.getByTestId('kici-dlq-signature-row').first().waitFor();
      await view.getByRole('button', { name: 'Show events' }).first().click();
      await view.getByTestId('kici-dlq-signature-event').first().waitFor();
      await page.waitForTimeout(500);
      await view.screenshot({ path: join(out, 'dlq-signatures.png') });
      written.push('src/img/screenshots/dlq-signatures.png (Event DLQ: error signatures)');
    } catch (err) {
      failed.push(`dlq signatures: ${err.message.split('\n')[0]}`);
    }
    await page.close();
  }
  // The redrive panel while a redrive runs: github:77's 40 DLQ events at 1 event/s, a few seconds in; then cancelled,
  // so the host is left as it was.
  if (!only || only === 'dlq-redrive') {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    try {
      await page.goto(`${base}/a/${plugin.id}/dlq?role=Admin&ds=kici-dlq-backlog&routingKey=github%3A77`);
      await page.getByTestId('data-testid kici-dlq-row').first().waitFor();
      await page.getByTestId('data-testid kici-dlq-bulk-retry').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('data-testid kici-redrive-rate').fill('1');
      const count = /Retry (\d+) DLQ event/.exec((await dialog.textContent()) ?? '')[1];
      await dialog.getByRole('button', { name: `Retry ${count}`, exact: true }).click();
      const panel = page.getByTestId('data-testid kici-redrive');
      await page.locator('[data-testid="data-testid kici-redrive"][data-state="running"]').waitFor();
      await page
        .getByTestId('data-testid kici-redrive-counts')
        .filter({ hasText: /^([4-9]|\d\d+) retried/ })
        .waitFor({ timeout: 30_000 });
      await page.waitForTimeout(300);
      await panel.screenshot({ path: join(out, 'dlq-redrive.png') });
      written.push('src/img/screenshots/dlq-redrive.png (Event DLQ: a redrive in progress)');
      await page.getByTestId('data-testid kici-redrive-cancel').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel redrive', exact: true }).click();
      await page
        .locator('[data-testid="data-testid kici-redrive"][data-state="cancelled"]')
        .waitFor({ timeout: 15_000 });
    } catch (err) {
      failed.push(`dlq redrive: ${err.message.split('\n')[0]}`);
    }
    await page.close();
  }
  // A datasource whose queries fail (kici-failing): the page-level message, at 1024 px in both themes.
  for (const theme of only ? [] : ['dark', 'light']) {
    for (const slug of ['overview', 'infrastructure']) {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, colorScheme: theme });
      try {
        await page.goto(`${base}/a/${plugin.id}/${slug}?role=Admin&theme=${theme}&ds=kici-failing`);
        await page.getByTestId('data-testid kici-datasource-problem').waitFor();
        await page.waitForTimeout(1000);
        const file = `${slug}-failing-1024${theme === 'light' ? '-light' : ''}.png`;
        await page.screenshot({ path: join(out, file) });
        written.push(`src/img/screenshots/${file} (${slug}, failing datasource)`);
      } catch (err) {
        failed.push(`${slug} failing: ${err.message.split('\n')[0]}`);
      }
      await page.close();
    }
  }
  console.log(`screenshots:\n  ${written.join('\n  ')}`);
  if (failed.length) {
    console.error(`not rendered:\n  ${failed.join('\n  ')}`);
    process.exitCode = 1;
  }
} finally {
  await browser?.close();
  await stopHost();
}

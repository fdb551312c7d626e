// Opens a host URL in Debian Chromium and prints console messages, page errors, failed requests and timings;
// optionally writes a screenshot.   npx tsx tests/host/probe.ts http://127.0.0.1:3111/a/kici-ops-app/overview [out.png]
import { chromium } from '@playwright/test';

import { CHROMIUM_ARGS } from '../e2e/env';

const [url = 'http://127.0.0.1:3111/a/kici-ops-app/overview', png] = process.argv.slice(2);

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const t0 = Date.now();
  page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()} ${m.location().url ?? ''}`));
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.stack ?? e.message}`));
  page.on(
    'response',
    (r) => r.status() >= 400 && console.log(`[http ${r.status()}] ${r.request().method()} ${r.url()}`)
  );
  await page.goto(url, { waitUntil: 'load' });
  console.log(`load after ${Date.now() - t0} ms`);
  await page.waitForTimeout(Number(process.env.PROBE_WAIT_MS ?? 5000));
  if (png) {
    await page.screenshot({ path: png, fullPage: true });
    console.log(`screenshot ${png}`);
  }
  console.log((await page.locator('body').innerText()).slice(0, 3000));
  await browser.close();
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});

// axe-core on every page and the DLQ event page, dark and light theme (the host's ?theme=): no WCAG 2 A/AA violation
// the plugin owns. The counts per page and theme go to test-results/axe-summary/ for the report's table.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { axeFindings } from './axe';
import { expect, test } from './fixtures';
import { AppPage } from './pages/AppPage';
import { EVERY_PAGE, openFirstDlqEvent } from './pages/everyPage';

const THEMES = ['dark', 'light'] as const;
const OUT = path.join(process.cwd(), 'test-results', 'axe-summary');

function record(name: string, theme: string, findings: Awaited<ReturnType<typeof axeFindings>>) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, `${name}-${theme}.json`), JSON.stringify(findings, null, 2));
}

for (const theme of THEMES) {
  for (const p of EVERY_PAGE) {
    test(`axe: ${p.name}, ${theme} theme`, async ({ page }) => {
      await new AppPage(page, p.route).goto({ ds: p.ds, theme });
      await p.ready(page);
      await expect(page.locator('body')).toHaveClass(new RegExp(`theme-${theme}`));
      const findings = await axeFindings(page);
      record(p.name, theme, findings);
      expect(findings.owned, 'WCAG 2 A/AA violations the plugin owns').toEqual([]);
    });
  }

  test(`axe: DLQ event page, ${theme} theme`, async ({ page }) => {
    await openFirstDlqEvent(page, { theme });
    const findings = await axeFindings(page);
    record('dlq-event', theme, findings);
    expect(findings.owned, 'WCAG 2 A/AA violations the plugin owns').toEqual([]);
  });
}

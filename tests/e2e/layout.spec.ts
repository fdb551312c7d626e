// Every page at 1024×768: nothing wider than the viewport, and no table cell that hides part of its content without
// a way to read it (the row's expansion, keyboard reachable); a scrolling area takes keyboard focus.
import type { Page } from '@playwright/test';

import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';
import { AppPage } from './pages/AppPage';
import { EVERY_PAGE, openFirstDlqEvent } from './pages/everyPage';
import { TracesPage } from './pages/TracesPage';

test.use({ viewport: { width: 1024, height: 768 } });

// A disclosure button in the row (the plugin's own expander on the DLQ list: a button with aria-expanded).
const EXPANDER = 'button[aria-expanded]';

interface LayoutReport {
  viewport: number;
  pageWidth: number;
  clipped: string[];
  unfocusableScrollers: string[];
}

async function layout(page: Page): Promise<LayoutReport> {
  return page.evaluate((EXPANDER) => {
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}: ${(el.textContent ?? '').trim().slice(0, 60)}`;
    const hides = (el: HTMLElement) => {
      const s = getComputedStyle(el);
      const hiddenX = ['hidden', 'clip'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const hiddenY = ['hidden', 'clip'].includes(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
      return hiddenX || hiddenY;
    };
    const clipped: string[] = [];
    for (const td of Array.from(document.querySelectorAll<HTMLElement>('td'))) {
      const row = td.closest('tr');
      // The row's expansion shows the cut content in full (a button, so the keyboard reaches it).
      const expandable = Boolean(row?.querySelector(EXPANDER));
      const cut = [td, ...Array.from(td.querySelectorAll<HTMLElement>('*'))].filter(hides);
      if (cut.length && !expandable) {
        clipped.push(describe(td));
      }
    }
    const unfocusableScrollers: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const s = getComputedStyle(el);
      const scrolls = ['auto', 'scroll'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const hasFocusable = el.querySelector('a[href],button:not([disabled]),input,select,textarea,[tabindex]');
      // The host's panel stand-ins scroll like Grafana's own table panel does; they are not the plugin's.
      const hostStandIn = el.closest('[data-testid^="host-panel-"]');
      if (scrolls && el.tabIndex < 0 && !hasFocusable && !hostStandIn) {
        unfocusableScrollers.push(describe(el));
      }
    }
    return {
      viewport: window.innerWidth,
      pageWidth: document.documentElement.scrollWidth,
      clipped,
      unfocusableScrollers,
    };
  }, EXPANDER);
}

for (const p of EVERY_PAGE) {
  test(`layout at 1024 px: ${p.name}`, async ({ page }) => {
    await new AppPage(page, p.route).goto({ ds: p.ds });
    await p.ready(page);
    const r = await layout(page);
    expect(r.pageWidth, 'page width at a 1024 px viewport').toBeLessThanOrEqual(r.viewport);
    expect(r.clipped, 'table cells that hide content with no way to read it').toEqual([]);
    expect(r.unfocusableScrollers, 'scrolling areas the keyboard cannot reach').toEqual([]);
  });
}

test('layout at 1024 px: Traces after a search (the LogQL line wraps)', async ({ page }) => {
  const traces = new TracesPage(page);
  await traces.goto();
  const captured = await traces.capturedLines();
  const requestId = captured.map((l) => l.json.requestId).find((v): v is string => typeof v === 'string');
  expect(requestId, 'a requestId (a UUID) in the traffic the host captured').toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  );
  await traces.search(requestId!);
  await expect(traces.lines().first()).toBeVisible();
  await expect(page.getByTestId(testIds.traces.logql)).toBeVisible();
  const r = await layout(page);
  expect(r.pageWidth).toBeLessThanOrEqual(r.viewport);
});

test('layout at 1024 px: the DLQ event page', async ({ page }) => {
  await openFirstDlqEvent(page);
  const r = await layout(page);
  expect(r.pageWidth).toBeLessThanOrEqual(r.viewport);
});

test('the DLQ row expansion shows the whole last error, from the keyboard', async ({ page }) => {
  await new AppPage(page, 'dlq').goto({ ds: 'kici-dlq-backlog' });
  const row = page.locator('tbody tr').first();
  const id = (await row.getByTestId(testIds.dlq.row).getAttribute('data-event-id')) ?? '';
  const toggle = row.getByTestId(testIds.dlq.expander);
  await expect(toggle).toHaveAccessibleName(`Details of event ${id.slice(0, 8)}`);
  // Collapsed, the toggle points at nothing (an id absent from the DOM is an invalid aria-controls).
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).not.toHaveAttribute('aria-controls');
  await toggle.focus();
  await expect(toggle).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const controls = (await toggle.getAttribute('aria-controls')) ?? '';
  const details = page.locator(`[id="${controls}"]`);
  await expect(details.getByTestId(testIds.dlq.expandedRow)).toContainText('Last error');
  await expect(details.getByTestId(testIds.dlq.expandedRow)).toContainText(id);
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(details).toHaveCount(0);
});

// Every page of the app (and the DLQ event page), each with what shows that it finished loading: the accessibility,
// layout and screenshot journeys walk this list.
import { expect, type Page } from '@playwright/test';

import { testIds } from '../../../src/components/testIds';
import { AppPage } from './AppPage';

export interface AppPageCase {
  name: string;
  route: string;
  ds?: string;
  /** Resolves once the page shows its data. */
  ready: (page: Page) => Promise<void>;
}

const visible = (id: string) => async (page: Page) => {
  await expect(page.getByTestId(id).first()).toBeVisible();
};

export const EVERY_PAGE: AppPageCase[] = [
  {
    name: 'overview',
    route: 'overview',
    ready: async (page) => {
      await expect(page.getByTestId('host-table-row').first()).toBeVisible();
      await expect(page.getByTestId('host-stat-value').first()).toBeVisible();
    },
  },
  { name: 'infrastructure', route: 'infrastructure', ready: visible(testIds.infrastructure.orchestrator) },
  {
    name: 'secret-backends',
    route: 'secret-backends',
    ds: 'kici-secrets-degraded',
    ready: visible(testIds.secretBackends.card),
  },
  { name: 'dlq', route: 'dlq', ds: 'kici-dlq-backlog', ready: visible(testIds.dlq.row) },
  { name: 'traces', route: 'traces', ready: visible(testIds.traces.input) },
];

/** The event page of the first listed DLQ event (its id is only known once the list loaded). */
export async function openFirstDlqEvent(page: Page, opts: { theme?: 'dark' | 'light' } = {}): Promise<string> {
  const list = new AppPage(page, 'dlq');
  await list.goto({ ds: 'kici-dlq-backlog', theme: opts.theme });
  await expect(page.getByTestId(testIds.dlq.row).first()).toBeVisible();
  const id = (await page.getByTestId(testIds.dlq.row).first().getAttribute('data-event-id')) ?? '';
  await list.goto({ ds: 'kici-dlq-backlog', theme: opts.theme, path: `dlq/${id}` });
  await expect(page.getByTestId(testIds.dlq.lastError)).toBeVisible();
  return id;
}

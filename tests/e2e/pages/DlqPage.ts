import { expect, type Locator, type Page } from '@playwright/test';

import { AppPage } from './AppPage';

const T = {
  row: 'data-testid kici-dlq-row',
  retry: 'data-testid kici-dlq-retry',
  discard: 'data-testid kici-dlq-discard',
  actionsDisabled: 'data-testid kici-dlq-actions-disabled',
};

export class DlqPage extends AppPage {
  constructor(page: Page) {
    super(page, 'dlq');
  }

  rows(): Locator {
    return this.page.getByTestId(T.row);
  }

  async eventIds(): Promise<string[]> {
    await expect(this.rows().first()).toBeVisible();
    return this.rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id') ?? ''));
  }

  /** The table row holding event `id`. */
  row(id: string): Locator {
    return this.page.locator('tr', { has: this.page.locator(`[data-event-id="${id}"]`) });
  }

  retryButton(id: string): Locator {
    return this.row(id).getByTestId(T.retry);
  }

  discardButton(id: string): Locator {
    return this.row(id).getByTestId(T.discard);
  }

  actionsDisabledNote(): Locator {
    return this.page.getByTestId(T.actionsDisabled);
  }

  dialog(): Locator {
    return this.page.getByRole('dialog');
  }
}

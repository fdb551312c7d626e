import { expect, type Locator, type Page } from '@playwright/test';

import { testIds } from '../../../src/components/testIds';
import { AppPage } from './AppPage';

const T = testIds.dlq;

export class DlqPage extends AppPage {
  constructor(page: Page) {
    super(page, 'dlq');
  }

  rows(): Locator {
    return this.page.getByTestId(T.row);
  }

  /** The listed event ids, once the list has rows. */
  async eventIds(): Promise<string[]> {
    await expect(this.rows().first()).toBeVisible();
    return this.rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id') ?? ''));
  }

  /** Any element of event `id` (0 once it left the list). */
  listed(id: string): Locator {
    return this.page.locator(`[data-event-id="${id}"]`);
  }

  /** The table row holding event `id`. */
  row(id: string): Locator {
    return this.page.locator('tr', { has: this.listed(id) });
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

  depth(): Locator {
    return this.page.getByTestId(T.stat).and(this.page.locator('[data-stat="depth"]'));
  }

  dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** The confirmation's own button (`Retry`, `Discard`, `Cancel`). */
  dialogButton(name: string): Locator {
    return this.dialog().getByRole('button', { name, exact: true });
  }
}

import { expect, type Locator, type Page } from '@playwright/test';

import { testIds } from '../../../src/components/testIds';
import { AppPage } from './AppPage';

const T = testIds.secretBackends;

export class SecretBackendsPage extends AppPage {
  constructor(page: Page) {
    super(page, 'secret-backends');
  }

  card(name: string): Locator {
    return this.page.getByTestId(T.card).and(this.page.locator(`[data-backend="${name}"]`));
  }

  /** name -> health badge colour, once the list loaded. */
  async health(): Promise<Record<string, string>> {
    await expect(this.page.getByTestId(T.card).first()).toBeVisible();
    const cards = await this.page
      .getByTestId(T.card)
      .evaluateAll((els) =>
        els.map((el) => [
          el.getAttribute('data-backend') ?? '',
          el.querySelector('[data-testid="data-testid kici-secret-backend-health"]')?.getAttribute('data-color') ?? '',
        ])
      );
    return Object.fromEntries(cards);
  }

  button(name: string, action: 'sync' | 'test'): Locator {
    return this.card(name).getByTestId(T[action]);
  }

  lastError(name: string): Locator {
    return this.card(name).getByTestId(T.lastError);
  }

  result(name: string): Locator {
    return this.card(name).getByTestId(T.actionResult);
  }

  disabledReason(): Locator {
    return this.page.getByTestId(T.disabledReason);
  }

  /** Clicks Sync/Test on a backend and confirms it in the modal. */
  async run(name: string, action: 'sync' | 'test') {
    await this.button(name, action).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toContainText(action === 'sync' ? `Sync “${name}” now?` : `Test “${name}”?`);
    await dialog.getByRole('button', { name: action === 'sync' ? 'Sync' : 'Test', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }
}

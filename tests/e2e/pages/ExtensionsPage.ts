import { expect, type Locator, type Page } from '@playwright/test';

import { PAGE_LOAD_TIMEOUT, type Role } from './AppPage';

/** The host's stand-ins for Grafana's extension points (tests/host/app/extensions.tsx). */
export class ExtensionsPage {
  constructor(readonly page: Page) {}

  async goto(opts: { role?: Role; alert?: object; explore?: object } = {}) {
    const q = new URLSearchParams({ role: opts.role ?? 'Admin' });
    if (opts.alert) {
      q.set('alert', JSON.stringify(opts.alert));
    }
    if (opts.explore) {
      q.set('explore', JSON.stringify(opts.explore));
    }
    await this.page.goto(`/__host/extensions?${q}`);
    await expect(this.page.getByTestId('host-extensions')).toBeVisible({ timeout: PAGE_LOAD_TIMEOUT });
  }

  refused(): Locator {
    return this.page.getByTestId('host-extensions-refused');
  }

  palette(): Locator {
    return this.page.getByTestId('host-palette-actions').getByTestId('host-extension-link');
  }

  alertActions(): Locator {
    return this.page.getByTestId('host-alert-actions').getByTestId('host-extension-link');
  }

  exploreActions(): Locator {
    return this.page.getByTestId('host-explore-actions').getByTestId('host-extension-link');
  }

  /** Opens a bundled dashboard panel's menu and returns its extension links. */
  async panelMenu(dashboardUid: string, title: string): Promise<Locator> {
    const panel = this.page
      .getByTestId('host-panel')
      .and(this.page.locator(`[data-dashboard="${dashboardUid}"][data-title="${title}"]`));
    await panel.getByRole('button', { name: `Menu for panel ${title}` }).click();
    return panel.getByTestId('host-extension-link');
  }

  async titlesAndPaths(links: Locator): Promise<Array<[string, string]>> {
    return links.evaluateAll((els) =>
      els.map((e) => [e.textContent ?? '', e.getAttribute('href') ?? ''] as [string, string])
    );
  }
}

// Page objects: one per app page, on top of the host's chrome (role switcher, menu, toasts).
import { expect, type Locator, type Page } from '@playwright/test';

export const APP = '/a/kici-ops-app';

export type Role = 'Viewer' | 'Editor' | 'Admin';

export const PAGE_LOAD_TIMEOUT = 90_000;

export class AppPage {
  constructor(
    readonly page: Page,
    readonly route: string
  ) {}

  /** Opens the page as `role` on datasource `ds` (kept in cookies for later requests). */
  async goto(
    opts: {
      role?: Role;
      ds?: string;
      theme?: 'dark' | 'light';
      path?: string;
      /** More URL parameters (a page's own state, e.g. the DLQ list's filters). */
      params?: Record<string, string>;
    } = {}
  ) {
    const q = new URLSearchParams(opts.params);
    q.set('role', opts.role ?? 'Admin');
    if (opts.ds) {
      q.set('ds', opts.ds);
    }
    if (opts.theme) {
      q.set('theme', opts.theme);
    }
    await this.page.goto(`${APP}/${opts.path ?? this.route}?${q}`);
    // The first paint parses the ~8 MB host bundle and the plugin: slow on a loaded 2-core machine.
    await expect(this.page.getByTestId('host-plugin-page')).toBeVisible({ timeout: PAGE_LOAD_TIMEOUT });
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  signedInAs(): Locator {
    return this.page.getByTestId('host-user');
  }

  async switchRole(role: Role) {
    await this.page.getByTestId('host-role').getByRole('radio', { name: role }).check();
    await expect(this.signedInAs()).toContainText(`(${role})`);
  }

  panel(title: string): Locator {
    return this.page.getByTestId(`data-testid Panel header ${title}`);
  }

  toast(text: string | RegExp): Locator {
    return this.page.getByTestId('host-toasts').getByText(text);
  }

  /** Rows of a table panel (host stand-in) as {field name: shown text}. */
  async tableRows(panelTitle: string): Promise<Array<Record<string, string>>> {
    const panel = this.panel(panelTitle);
    await expect(panel.getByTestId('host-table-row').first()).toBeVisible();
    return panel
      .getByTestId('host-table-row')
      .evaluateAll((rows) =>
        rows.map((row) =>
          Object.fromEntries(
            Array.from(row.querySelectorAll('td')).map((td) => [
              td.getAttribute('data-field') ?? '',
              td.textContent ?? '',
            ])
          )
        )
      );
  }

  /** A call the page's own code could make, forced from the browser with the session's cookie. */
  async forceResourceCall(method: string, path: string, ds = 'kici'): Promise<{ status: number; body: unknown }> {
    return this.page.evaluate(
      async ({ method, url }) => {
        const r = await fetch(url, { method, headers: { 'X-Grafana-Org-Id': '1' } });
        const text = await r.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        return { status: r.status, body };
      },
      { method, url: `/api/datasources/uid/${ds}/resources/${path}` }
    );
  }
}

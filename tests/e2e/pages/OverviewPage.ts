import { expect, type Page } from '@playwright/test';

import { AppPage } from './AppPage';

export interface StatView {
  /** As shown (value, unit). */
  text: string;
  /** The number behind it (Grafana's display processor), NaN when there is none. */
  numeric: number;
}

export class OverviewPage extends AppPage {
  constructor(page: Page) {
    super(page, 'overview');
  }

  healthRows() {
    return this.tableRows('Health');
  }

  /** The one value of a stat panel, once the query answered (the stand-in renders no value while loading). */
  async stat(title: string): Promise<StatView> {
    const value = this.panel(title).getByTestId('host-stat-value');
    await expect(value).toHaveCount(1);
    await expect(value).not.toHaveAttribute('data-text', '');
    const [text, numeric] = await Promise.all([value.getAttribute('data-text'), value.getAttribute('data-numeric')]);
    return { text: text ?? '', numeric: numeric ? Number(numeric) : NaN };
  }
}

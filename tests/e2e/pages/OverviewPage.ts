import type { Page } from '@playwright/test';

import { AppPage } from './AppPage';

export class OverviewPage extends AppPage {
  constructor(page: Page) {
    super(page, 'overview');
  }

  healthRows() {
    return this.tableRows('Health');
  }
}

import { expect, type Locator, type Page } from '@playwright/test';

import { testIds } from '../../../src/components/testIds';
import { AppPage } from './AppPage';

const T = testIds.traces;

export interface CapturedLine {
  stream: Record<string, string>;
  json: Record<string, unknown>;
}

export class TracesPage extends AppPage {
  constructor(page: Page) {
    super(page, 'traces');
  }

  /** Every log line the host's sims wrote (what the Loki stand-in serves), parsed. */
  async capturedLines(): Promise<CapturedLine[]> {
    const res = await this.page.request.get('/__host/logs');
    expect(res.ok()).toBe(true);
    const body = (await res.json()) as { lines: Array<{ stream: Record<string, string>; line: string }> };
    return body.lines.flatMap((l) => {
      try {
        return [{ stream: l.stream, json: JSON.parse(l.line) as Record<string, unknown> }];
      } catch {
        return [];
      }
    });
  }

  async search(text: string) {
    await this.page.getByTestId(T.input).fill(text);
    await this.page.getByTestId(T.submit).click();
  }

  lines(): Locator {
    return this.page.getByTestId(T.line);
  }

  /** Tier and text of each shown line, in the order shown. */
  async shownLines(): Promise<Array<{ tier: string; text: string }>> {
    return this.lines().evaluateAll((els) =>
      els.map((e) => ({ tier: e.getAttribute('data-tier') ?? '', text: e.textContent ?? '' }))
    );
  }

  matched(): Locator {
    return this.page.getByTestId(T.matched);
  }

  dashboardLink(): Locator {
    return this.page.getByTestId(T.dashboardLink);
  }

  exploreLink(): Locator {
    return this.page.getByTestId(T.exploreLink);
  }

  tierGroups(): Locator {
    return this.page.getByTestId(T.tierGroup);
  }
}

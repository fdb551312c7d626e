import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

import { testIds } from '../../../src/components/testIds';
import { AppPage } from './AppPage';

const T = testIds.infrastructure;

export interface OrchestratorView {
  name: string;
  /** The configured URL shown next to the name (null when none is known or it is the name). */
  url: string | null;
  raftRole: string | null;
  raftColor: string | null;
  connection: string | null;
  connectionColor: string | null;
  error: string | null;
}

export class InfrastructurePage extends AppPage {
  constructor(page: Page) {
    super(page, 'infrastructure');
  }

  orchestrator(name: string): Locator {
    return this.page.getByTestId(T.orchestrator).and(this.page.locator(`[data-name="${name}"]`));
  }

  scaler(name: string): Locator {
    return this.page.getByTestId(T.scaler).and(this.page.locator(`[data-name="${name}"]`));
  }

  source(): Locator {
    return this.page.getByTestId(T.source);
  }

  async orchestrators(): Promise<OrchestratorView[]> {
    const nodes = this.page.getByTestId(T.orchestrator);
    await expect(nodes.first()).toBeVisible();
    return nodes.evaluateAll((els) =>
      els
        .map((el) => {
          const badge = (id: string) => el.querySelector(`[data-testid="data-testid kici-infra-${id}"]`);
          return {
            name: el.getAttribute('data-name') ?? '',
            url:
              badge('orchestrator-url')
                ?.textContent?.replace(/^url:\s*/, '')
                .trim() ?? null,
            raftRole: badge('raft-role')?.textContent?.trim() ?? null,
            raftColor: badge('raft-role')?.getAttribute('data-color') ?? null,
            connection: badge('connection')?.textContent?.trim() ?? null,
            connectionColor: badge('connection')?.getAttribute('data-color') ?? null,
            error: badge('node-error')?.textContent?.trim() ?? null,
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name))
    );
  }

  /** The `kici:host:` badges of a scaler pool's row. */
  async scalerHostBadges(pool: string): Promise<string[]> {
    await expect(this.scaler(pool)).toBeVisible();
    return this.scaler(pool)
      .getByTestId(T.scalerHostBadge)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label') ?? ''));
  }

  /** The orchestrator's `host:` value. */
  async hostOf(name: string): Promise<string> {
    const text = (await this.orchestrator(name).getByTestId(T.orchestratorHost).textContent()) ?? '';
    return text.replace(/^host:\s*/, '').trim();
  }
}

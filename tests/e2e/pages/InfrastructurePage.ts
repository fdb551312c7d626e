import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

import { AppPage } from './AppPage';

export interface OrchestratorView {
  name: string;
  raftRole: string | null;
  raftColor: string | null;
  connection: string | null;
  connectionColor: string | null;
}

export class InfrastructurePage extends AppPage {
  constructor(page: Page) {
    super(page, 'infrastructure');
  }

  async orchestrators(): Promise<OrchestratorView[]> {
    const nodes = this.page.getByTestId('data-testid kici-infra-orchestrator');
    await expect(nodes.first()).toBeVisible();
    return nodes.evaluateAll((els) =>
      els.map((el) => {
        const badge = (id: string) => el.querySelector(`[data-testid="data-testid kici-infra-${id}"]`);
        return {
          name: el.getAttribute('data-name') ?? '',
          raftRole: badge('raft-role')?.textContent?.trim() ?? null,
          raftColor: badge('raft-role')?.getAttribute('data-color') ?? null,
          connection: badge('connection')?.textContent?.trim() ?? null,
          connectionColor: badge('connection')?.getAttribute('data-color') ?? null,
        };
      })
    );
  }
}

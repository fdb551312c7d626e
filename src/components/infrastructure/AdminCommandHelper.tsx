import { Button, Toggletip } from '@grafana/ui';
import React from 'react';

import type { OrchestratorNode } from '../../datasource/infrastructure/model';
import { testIds } from '../testIds';
import { adminCommands } from './commands';
import { CopyLines } from './CopyLines';

/** kici-admin commands for this orchestrator's deployment shape, copy-ready; never run from the page. */
export function AdminCommandHelper({ node, name }: { node: OrchestratorNode; name: string }) {
  const helper = adminCommands(node);
  return (
    <Toggletip
      title={`kici-admin for ${name} (${helper.shape})`}
      closeButton
      placement="bottom-end"
      content={
        <div>
          <CopyLines lines={helper.commands} testId={testIds.infrastructure.adminCommands} />
          <p style={{ marginTop: 8, marginBottom: 0 }}>{helper.note}</p>
        </div>
      }
    >
      <Button
        size="sm"
        variant="secondary"
        fill="text"
        icon="brackets-curly"
        data-testid={testIds.infrastructure.adminHelper}
        aria-label={`kici-admin commands for ${name}`}
      >
        kici-admin
      </Button>
    </Toggletip>
  );
}

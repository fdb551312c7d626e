import { Button } from '@grafana/ui';
import React from 'react';

import type { AgentNode, MissingFields } from '../../datasource/infrastructure/model';
import { testIds } from '../testIds';
import { AgentRow } from './AgentRow';

interface Props {
  agents: AgentNode[];
  remaining: number;
  onShowMore: () => void;
  latestVersion: string | null;
  agentMissing: MissingFields;
  showOrchestrator?: boolean;
  empty: string;
}

/** One page of a group's agents, and a button for the next page. */
export function AgentList({
  agents,
  remaining,
  onShowMore,
  latestVersion,
  agentMissing,
  showOrchestrator,
  empty,
}: Props) {
  if (!agents.length) {
    return <div>{empty}</div>;
  }
  return (
    <div>
      {agents.map((a) => (
        <AgentRow
          key={a.agentId}
          agent={a}
          latestVersion={latestVersion}
          agentMissing={agentMissing}
          showOrchestrator={showOrchestrator}
        />
      ))}
      {remaining > 0 && (
        <Button
          size="sm"
          variant="secondary"
          fill="text"
          onClick={onShowMore}
          data-testid={testIds.infrastructure.showMore}
        >
          Show more ({remaining} not shown)
        </Button>
      )}
    </div>
  );
}

import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import { agentHost, agentMemoryBadge, agentUpdateBadge, isAutoLabel } from '../../datasource/infrastructure/badges';
import type { AgentNode, MissingFields } from '../../datasource/infrastructure/model';
import { testIds } from '../testIds';
import { formatUptime, missingReason } from './format';
import { LabelBadge } from './LabelBadge';
import { MissingValue } from './MissingNote';
import { RuleBadge } from './RuleBadge';
import { agentStatusBadge } from './status';
import { UpdateBadge } from './UpdateBadge';

/** User labels first, then the auto-generated `kici:` ones. */
export function orderedLabels(labels: string[]): string[] {
  return [...labels.filter((l) => !isAutoLabel(l)), ...labels.filter(isAutoLabel)];
}

interface Props {
  agent: AgentNode;
  latestVersion: string | null;
  /** Reasons that hold for every agent of the snapshot. */
  agentMissing: MissingFields;
  /** Shown in the stateful sections: which orchestrator holds the agent. */
  showOrchestrator?: boolean;
}

export const AgentRow = React.memo(function AgentRow({ agent, latestVersion, agentMissing, showOrchestrator }: Props) {
  const styles = useStyles2(getStyles);
  const memory = agentMemoryBadge(agent);
  const update = agentUpdateBadge(agent, latestVersion);
  const host = agentHost(agent);
  const why = (field: string) => missingReason(agentMissing, field);
  const platform = [agent.platform, agent.arch].filter(Boolean).join('/');
  return (
    <div className={styles.row} data-testid={testIds.infrastructure.agent} data-agent-id={agent.agentId}>
      <div className={styles.line}>
        <span className={styles.id}>{agent.agentId}</span>
        <RuleBadge badge={agentStatusBadge(agent)} testId={testIds.infrastructure.agentStatus} />
        <span title="platform">{platform || <MissingValue reason={why('platform')} />}</span>
        <span>
          <span className={styles.key}>host</span> {host ?? <MissingValue reason={why('hostname')} />}
        </span>
        {memory ? (
          <RuleBadge badge={memory} testId={testIds.infrastructure.agentMemory} />
        ) : (
          <span>
            <span className={styles.key}>memory</span> <MissingValue reason={agentMemoryReason(agent, agentMissing)} />
          </span>
        )}
        <span>
          <span className={styles.key}>uptime</span>{' '}
          {agent.uptimeSeconds === null ? (
            <MissingValue reason={why('uptimeSeconds')} />
          ) : (
            formatUptime(agent.uptimeSeconds)
          )}
        </span>
        <span className={styles.version}>{agent.version ?? <MissingValue reason={why('version')} />}</span>
        {update && <UpdateBadge badge={update} />}
        {showOrchestrator && (
          <span className={styles.key}>
            {agent.connectedInstanceId ? `on ${agent.connectedInstanceId}` : 'disconnected'}
          </span>
        )}
        {agent.error && <span className={styles.error}>{agent.error}</span>}
      </div>
      <div className={styles.labels}>
        {orderedLabels(agent.labels).map((l) => (
          <LabelBadge key={l} label={l} />
        ))}
      </div>
    </div>
  );
});

/** Memory is refreshed only when the agent reports a job's end: idle agents have none even with the Platform. */
export function agentMemoryReason(a: Pick<AgentNode, 'memoryUsedMb'>, agentMissing: MissingFields): string {
  return (
    agentMissing.memoryUsedMb ??
    (a.memoryUsedMb === null ? 'not reported yet: agents report memory when a job ends' : 'total memory not reported')
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ padding: theme.spacing(0.5, 0), borderTop: `1px dashed ${theme.colors.border.weak}` }),
  line: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  id: css({ fontFamily: theme.typography.fontFamilyMonospace, fontWeight: theme.typography.fontWeightMedium }),
  key: css({ color: theme.colors.text.secondary }),
  version: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  error: css({ color: theme.colors.error.text }),
  labels: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), marginTop: theme.spacing(0.5) }),
});

import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Tooltip, useStyles2 } from '@grafana/ui';
import React from 'react';

import {
  formatMb,
  orchestratorName,
  orchestratorUpdateBadge,
  raftRoleBadge,
  runningUserBadge,
} from '../../datasource/infrastructure/badges';
import type { InfrastructureSource, OrchestratorNode } from '../../datasource/infrastructure/model';
import { testIds } from '../testIds';
import { AdminCommandHelper } from './AdminCommandHelper';
import { describeFields, formatUptime, missingReason } from './format';
import { GroupToggle } from './GroupToggle';
import { MissingNote } from './MissingNote';
import { RegistrationInfo } from './RegistrationDetails';
import { RuleBadge } from './RuleBadge';
import { connectionBadge } from './status';
import { UpdateBadge } from './UpdateBadge';

/** CPU / memory / uptime and agent counts: shown values, and the missing ones grouped by reason. */
export function orchestratorFacts(o: OrchestratorNode) {
  const memory =
    o.totalMemoryMb === null
      ? null
      : o.memoryUsedMb === null
        ? formatMb(o.totalMemoryMb)
        : `${formatMb(o.memoryUsedMb)} / ${formatMb(o.totalMemoryMb)}`;
  const fields = [
    { label: 'CPU', field: 'cpuCount', text: o.cpuCount === null ? null : `${o.cpuCount} CPUs` },
    { label: 'memory', field: 'totalMemoryMb', text: memory },
    {
      label: 'OS uptime',
      field: 'uptimeSeconds',
      text: o.uptimeSeconds === null ? null : formatUptime(o.uptimeSeconds),
    },
  ];
  const facts = describeFields(fields, o.missing);
  // Self-hosted nodes report their process uptime: shown next to the missing OS uptime, not instead of it.
  if (o.uptimeSeconds === null && o.processUptimeSeconds !== null) {
    facts.shown.push({ label: 'process uptime', text: formatUptime(o.processUptimeSeconds) });
  }
  if (o.agentCount !== null) {
    const stateful = o.statefulAgentCount === null ? '' : ` (${o.statefulAgentCount} stateful)`;
    facts.shown.push({ label: 'agents', text: `${o.agentCount}${stateful}` });
  }
  if (o.runningJobs !== null || o.queuedJobs !== null) {
    facts.shown.push({ label: 'jobs', text: `${o.runningJobs ?? '?'} running, ${o.queuedJobs ?? '?'} queued` });
  }
  return facts;
}

interface Props {
  node: OrchestratorNode;
  source: InfrastructureSource;
  latestVersion: string | null;
  latestUnknownReason: string;
  expanded: boolean;
  onToggle: () => void;
  children?: React.ReactNode;
}

export function OrchestratorRow({
  node,
  source,
  latestVersion,
  latestUnknownReason,
  expanded,
  onToggle,
  children,
}: Props) {
  const styles = useStyles2(getStyles);
  const id = orchestratorName(node);
  const raft = raftRoleBadge(node);
  const user = runningUserBadge(node);
  const update = orchestratorUpdateBadge(node, latestVersion);
  const facts = orchestratorFacts(node);
  return (
    <div className={styles.node} data-testid={testIds.infrastructure.orchestrator} data-name={id.name}>
      <div className={styles.header}>
        <div className={styles.identity}>
          <GroupToggle
            expanded={expanded}
            onToggle={onToggle}
            label={`orchestrator ${id.name}`}
            testId={testIds.infrastructure.orchestratorToggle}
          >
            <span className={styles.key}>orchestrator:</span>
            <span data-testid={testIds.infrastructure.orchestratorName} className={id.bold ? styles.bold : undefined}>
              {id.name}
            </span>
          </GroupToggle>
          {node.url && node.url !== id.name && (
            <span className={styles.dim} data-testid={testIds.infrastructure.orchestratorUrl}>
              <span className={styles.key}>url:</span> {node.url}
            </span>
          )}
          {id.conn && (
            <span className={styles.dim} data-testid={testIds.infrastructure.orchestratorConn}>
              <span className={styles.key}>conn:</span> {id.conn}
            </span>
          )}
          {raft && <RuleBadge badge={raft} testId={testIds.infrastructure.raftRole} />}
          <RuleBadge badge={user} testId={testIds.infrastructure.runningUser} icon="user" />
          <RuleBadge badge={connectionBadge(node, source)} testId={testIds.infrastructure.connection} />
          <span className={styles.version} data-testid={testIds.infrastructure.version}>
            {node.version ?? (
              <Tooltip content={missingReason(node.missing, 'version')}>
                <span className={styles.dim}>version unknown</span>
              </Tooltip>
            )}
            <span className={styles.dim}>
              {' '}
              (latest{' '}
              {latestVersion ?? (
                <Tooltip content={latestUnknownReason}>
                  <span>unknown</span>
                </Tooltip>
              )}
              )
            </span>
          </span>
          {update && <UpdateBadge badge={update} />}
          <RegistrationInfo node={node} name={id.name} />
          <AdminCommandHelper node={node} name={id.name} />
        </div>
        <div className={styles.host} data-testid={testIds.infrastructure.orchestratorHost}>
          <span className={styles.key}>host:</span>{' '}
          {node.hostname ? (
            <span className={styles.nowrap}>{node.hostname}</span>
          ) : (
            <span className={styles.dim}>{missingReason(node.missing, 'hostname')}</span>
          )}
        </div>
      </div>
      <div className={styles.facts}>
        {facts.shown.map((f) => (
          <span key={f.label}>
            <span className={styles.key}>{f.label}</span> {f.text}
          </span>
        ))}
      </div>
      <MissingNote groups={facts.missing} />
      {node.error && (
        <Alert
          severity="error"
          title={`${id.name} could not be read`}
          data-testid={testIds.infrastructure.nodeError}
          className={styles.alert}
        >
          {node.error}
        </Alert>
      )}
      {node.warnings.length > 0 && (
        <Alert severity="warning" title="Partly read" className={styles.alert}>
          {node.warnings.join('; ')}
        </Alert>
      )}
      {expanded && <div className={styles.children}>{children}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  node: css({
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    padding: theme.spacing(1, 0),
  }),
  header: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: theme.spacing(1) }),
  identity: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  key: css({ color: theme.colors.text.secondary }),
  bold: css({ fontWeight: theme.typography.fontWeightBold }),
  dim: css({ color: theme.colors.text.secondary }),
  version: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  // A missing host's reason (an unreachable node's error) wraps instead of widening the page at 1024 px.
  host: css({ marginLeft: 'auto', minWidth: 0, maxWidth: '50%', textAlign: 'right', overflowWrap: 'anywhere' }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  facts: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    paddingLeft: theme.spacing(3),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  alert: css({ marginTop: theme.spacing(1), marginBottom: 0 }),
  children: css({ paddingLeft: theme.spacing(3), marginTop: theme.spacing(1) }),
});

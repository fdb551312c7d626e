import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { IconButton, Toggletip, useStyles2 } from '@grafana/ui';
import React from 'react';

import { webhookSources } from '../../datasource/infrastructure/filter';
import type { OrchestratorNode } from '../../datasource/infrastructure/model';
import { testIds } from '../testIds';
import { adminCommands } from './commands';
import { formatTimestamp, missingReason } from './format';

export interface DetailRow {
  label: string;
  value: string | null;
  /** Why the value is null. */
  reason?: string;
}

/** The registration details behind an orchestrator's info icon, each null field with its reason. */
export function registrationDetails(o: OrchestratorNode): DetailRow[] {
  const why = (field: string) => missingReason(o.missing, field);
  const row = (label: string, field: string, value: string | null): DetailRow =>
    value === null ? { label, value, reason: why(field) } : { label, value };
  const sources = webhookSources(o.routingKeys);
  const os = [o.osRelease, o.osVersion].filter((x): x is string => x !== null);
  return [
    row('Cluster', 'clusterName', o.clusterName),
    row('Cluster role', 'role', o.role),
    o.routingKeys.length === 0 && o.missing.routingKeys
      ? { label: 'Webhook sources', value: null, reason: o.missing.routingKeys }
      : { label: 'Webhook sources', value: sources.length ? sources.map((s) => s.text).join('; ') : 'none' },
    row('Deployment mode', 'mode', o.mode),
    row('Deployment', 'deployment', o.deployment ? adminCommands(o).shape : null),
    {
      label: 'Scaler backends',
      value: o.scalerBackends.length ? [...new Set(o.scalerBackends)].join(', ') : 'none configured',
    },
    row('S3 log access', 's3LogAccess', o.s3LogAccess === null ? null : o.s3LogAccess ? 'yes' : 'no'),
    row('Connected at', 'connectedAt', o.connectedAt === null ? null : formatTimestamp(o.connectedAt)),
    row('Node.js', 'nodeVersion', o.nodeVersion),
    row('OS', 'osRelease', os.length ? os.join(' — ') : null),
    row(
      'Dependency checks',
      'dependencyHealth',
      o.dependencyHealth === null
        ? null
        : o.dependencyHealth.length
          ? o.dependencyHealth.map((c) => `${c.name}: ${c.status}`).join('; ')
          : 'none reported'
    ),
  ];
}

export function RegistrationInfo({ node, name }: { node: OrchestratorNode; name: string }) {
  const styles = useStyles2(getStyles);
  const rows = registrationDetails(node);
  return (
    <Toggletip
      title={`Registration of ${name}`}
      closeButton
      placement="bottom-start"
      content={
        <dl className={styles.list} data-testid={testIds.infrastructure.registrationDetails}>
          {rows.map((r) => (
            <React.Fragment key={r.label}>
              <dt className={styles.term}>{r.label}</dt>
              <dd className={styles.value}>{r.value ?? <span className={styles.missing}>{r.reason}</span>}</dd>
            </React.Fragment>
          ))}
        </dl>
      }
    >
      <IconButton
        name="info-circle"
        aria-label={`Registration details of ${name}`}
        data-testid={testIds.infrastructure.registrationInfo}
      />
    </Toggletip>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
  }),
  term: css({ color: theme.colors.text.secondary }),
  value: css({ margin: 0, overflowWrap: 'anywhere' }),
  missing: css({ color: theme.colors.text.secondary, fontStyle: 'italic' }),
});

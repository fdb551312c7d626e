import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, IconButton, Toggletip, useStyles2 } from '@grafana/ui';
import React from 'react';

import { scalerCapacityText, scalerHostBadges } from '../../datasource/infrastructure/badges';
import type { ScalerPool } from '../../datasource/infrastructure/model';
import { testIds } from '../testIds';
import { missingReason } from './format';
import { LabelBadge } from './LabelBadge';

/** The pool's label sets as distinct labels, in order. */
export function scalerLabels(s: Pick<ScalerPool, 'labelSets'>): string[] {
  return [...new Set((s.labelSets ?? []).flat())];
}

/** The safe configuration as `key: value` lines (objects as compact JSON). */
export function configEntries(config: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}

interface Props {
  pool: ScalerPool;
  orchestratorHostname: string | null;
  /** The expand control of the pool's agents. */
  toggle: React.ReactNode;
}

export function ScalerRow({ pool, orchestratorHostname, toggle }: Props) {
  const styles = useStyles2(getStyles);
  const hosts = scalerHostBadges(pool, orchestratorHostname);
  return (
    <div className={styles.row} data-testid={testIds.infrastructure.scaler} data-name={pool.name}>
      {toggle}
      <Badge text={pool.type} color="blue" />
      <span className={styles.name}>{pool.name}</span>
      <span title="active / max agents" data-testid={testIds.infrastructure.scalerCapacity}>
        {scalerCapacityText(pool)} agents
      </span>
      {hosts.map((h) => (
        <LabelBadge key={h} label={h} testId={testIds.infrastructure.scalerHostBadge} />
      ))}
      {scalerLabels(pool).map((l) => (
        <LabelBadge key={l} label={l} />
      ))}
      {pool.config ? (
        <Toggletip
          title={`Configuration of ${pool.name}`}
          closeButton
          placement="bottom-start"
          content={
            <dl className={styles.config} data-testid={testIds.infrastructure.scalerConfig}>
              {configEntries(pool.config).map(([k, v]) => (
                <React.Fragment key={k}>
                  <dt>{k}</dt>
                  <dd>
                    <code>{v}</code>
                  </dd>
                </React.Fragment>
              ))}
            </dl>
          }
        >
          <IconButton
            name="cog"
            aria-label={`Configuration of ${pool.name}`}
            data-testid={testIds.infrastructure.scalerConfigButton}
          />
        </Toggletip>
      ) : (
        <span className={styles.dim}>configuration: {missingReason(pool.missing, 'config')}</span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
  }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  dim: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  config: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    margin: 0,
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  }),
});

import { css } from '@emotion/css';
import { Badge, Toggletip, useStyles2 } from '@grafana/ui';
import React from 'react';

import type { UpdateBadge as UpdateBadgeModel } from '../../datasource/infrastructure/badges';
import { testIds } from '../testIds';
import { CopyLines } from './CopyLines';
import { uiBadgeColor } from './RuleBadge';

/** "update available": opens the two copy-ready lines to run on that host. The page never runs them. */
export function UpdateBadge({ badge }: { badge: UpdateBadgeModel }) {
  const styles = useStyles2(getStyles);
  return (
    <Toggletip
      title={`Update to ${badge.latest}`}
      closeButton
      placement="bottom-start"
      content={
        <div>
          <p>{badge.tooltip}</p>
          <CopyLines
            lines={badge.commands.map((command) => ({ command }))}
            testId={testIds.infrastructure.updateCommands}
          />
          <p className={styles.note}>Nothing runs from here: copy the lines and run them on the host.</p>
        </div>
      }
    >
      <button
        type="button"
        className={styles.trigger}
        data-testid={testIds.infrastructure.updateBadge}
        data-color={badge.color}
        aria-label={`${badge.text}: ${badge.latest}`}
      >
        <Badge text={badge.text} color={uiBadgeColor(badge.color)} icon="arrow-up" />
      </button>
    </Toggletip>
  );
}

const getStyles = () => ({
  trigger: css({ background: 'none', border: 'none', padding: 0, cursor: 'pointer' }),
  note: css({ marginTop: 8, marginBottom: 0, opacity: 0.8 }),
});

import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import { testIds } from '../testIds';
import type { MissingGroup } from './format';

/** Fields the backend could not fill, said once per reason ("CPU, memory: reported only through KiCI Platform"). */
export function MissingNote({ groups }: { groups: MissingGroup[] }) {
  const styles = useStyles2(getStyles);
  if (!groups.length) {
    return null;
  }
  return (
    <div className={styles.note}>
      {groups.map((g) => (
        <div key={g.reason} data-testid={testIds.infrastructure.missing}>
          {g.labels.join(', ')}: {g.reason}
        </div>
      ))}
    </div>
  );
}

/** A single null value in a dense row: a dash whose reason is in its title and accessible name. */
export function MissingValue({ reason }: { reason: string }) {
  const styles = useStyles2(getStyles);
  return (
    <span className={styles.dash} title={reason} aria-label={reason}>
      —
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  dash: css({ color: theme.colors.text.disabled, cursor: 'help' }),
});

import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, useStyles2 } from '@grafana/ui';
import React from 'react';

interface Props {
  lines: Array<{ label?: string; command: string }>;
  testId: string;
}

/** Copy-ready command lines, each with its own copy button. Shown only: nothing here runs them. */
export function CopyLines({ lines, testId }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testId} className={styles.list}>
      {lines.map((l) => (
        <div key={l.command} className={styles.line}>
          {l.label && <div className={styles.label}>{l.label}</div>}
          <div className={styles.row}>
            <code className={styles.code}>{l.command}</code>
            <ClipboardButton
              size="sm"
              variant="secondary"
              fill="text"
              icon="copy"
              getText={() => l.command}
              aria-label={`Copy ${l.command}`}
            />
          </div>
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  line: css({ display: 'flex', flexDirection: 'column' }),
  label: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  code: css({ whiteSpace: 'pre', overflowX: 'auto' }),
});

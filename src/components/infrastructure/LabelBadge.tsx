import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import { isAutoLabel } from '../../datasource/infrastructure/badges';
import { testIds } from '../testIds';
import { copyToClipboard } from './clipboard';

interface Props {
  label: string;
  /** A distinct test id (e.g. the scaler row's spawning-host badge); the label test id otherwise. */
  testId?: string;
}

/** A label badge; a click copies its value. Auto-generated `kici:` labels are drawn apart from user labels. */
export function LabelBadge({ label, testId = testIds.infrastructure.label }: Props) {
  const styles = useStyles2(getStyles);
  const auto = isAutoLabel(label);
  return (
    <button
      type="button"
      className={cx(styles.badge, auto && styles.auto)}
      title={`Copy ${label}`}
      aria-label={`Copy label ${label}`}
      data-testid={testId}
      data-label={label}
      data-auto={auto}
      onClick={() => void copyToClipboard(label)}
    >
      {label}
    </button>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({
    display: 'inline-flex',
    alignItems: 'center',
    padding: '0 4px',
    borderRadius: theme.shape.radius.sm,
    border: `1px solid ${theme.colors.border.medium}`,
    background: theme.colors.background.secondary,
    color: theme.colors.text.primary,
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: theme.typography.bodySmall.lineHeight,
    cursor: 'copy',
    '&:hover': { borderColor: theme.colors.primary.border },
  }),
  auto: css({
    color: theme.colors.text.secondary,
    borderStyle: 'dashed',
  }),
});

import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';
import React from 'react';

interface Props {
  expanded: boolean;
  onToggle: () => void;
  label: string;
  testId: string;
  /** `data-group` for tests and browser journeys. */
  group?: string;
  children: React.ReactNode;
}

/** The expand/collapse control of a tree group; its content is rendered only while expanded. */
export function GroupToggle({ expanded, onToggle, label, testId, group, children }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <button
      type="button"
      className={styles.toggle}
      aria-expanded={expanded}
      data-testid={testId}
      data-group={group}
      onClick={onToggle}
    >
      <Icon name={expanded ? 'angle-down' : 'angle-right'} />
      {children}
      {/* The accessible name starts with the visible text (WCAG 2.5.3); aria-expanded says open or closed. */}
      <span className="sr-only"> ({label})</span>
    </button>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toggle: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    background: 'none',
    border: 'none',
    padding: 0,
    color: 'inherit',
    cursor: 'pointer',
    textAlign: 'left',
  }),
});

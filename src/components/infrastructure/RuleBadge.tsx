import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, type BadgeColor as UiBadgeColor, type IconName, useStyles2 } from '@grafana/ui';
import React from 'react';

import type { Badge as RuleBadgeModel, BadgeColor } from '../../datasource/infrastructure/badges';

const UI_COLORS: Record<BadgeColor, UiBadgeColor> = {
  red: 'red',
  orange: 'orange',
  green: 'green',
  blue: 'blue',
  purple: 'purple',
  neutral: 'darkgrey',
};

export function uiBadgeColor(color: BadgeColor): UiBadgeColor {
  return UI_COLORS[color];
}

interface Props {
  badge: RuleBadgeModel;
  testId: string;
  icon?: IconName;
}

/** A badge as the rules decided it; `data-color` carries the rule's colour for tests and browser journeys. */
// @grafana/ui's darkgrey badge text is 3.95:1 on the light theme's background (WCAG AA needs 4.5:1): the neutral badge
// takes the theme's secondary text colour, readable in both themes.
const getStyles = (theme: GrafanaTheme2) => ({
  neutral: css({ color: theme.colors.text.secondary, borderColor: theme.colors.border.strong }),
});

export function RuleBadge({ badge, testId, icon }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <Badge
      className={badge.color === 'neutral' ? styles.neutral : undefined}
      text={badge.text}
      color={uiBadgeColor(badge.color)}
      tooltip={badge.tooltip}
      icon={icon}
      data-testid={testId}
      data-color={badge.color}
    />
  );
}

import { Badge, type BadgeColor as UiBadgeColor, type IconName } from '@grafana/ui';
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
export function RuleBadge({ badge, testId, icon }: Props) {
  return (
    <Badge
      text={badge.text}
      color={uiBadgeColor(badge.color)}
      tooltip={badge.tooltip}
      icon={icon}
      data-testid={testId}
      data-color={badge.color}
    />
  );
}

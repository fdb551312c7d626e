// KiCI's six triage steps, each with its live value and the command to copy.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, ClipboardButton, Collapse, Stack, Text, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';

import { testIds } from '../../components/testIds';
import type { RunbookStep, StepTone } from './runbook';

const BADGE: Record<
  StepTone,
  {
    color: 'green' | 'blue' | 'orange' | 'red' | 'darkgrey';
    icon: 'check' | 'info-circle' | 'exclamation-triangle' | 'times' | 'question-circle';
  }
> = {
  ok: { color: 'green', icon: 'check' },
  info: { color: 'blue', icon: 'info-circle' },
  warning: { color: 'orange', icon: 'exclamation-triangle' },
  error: { color: 'red', icon: 'times' },
  unknown: { color: 'darkgrey', icon: 'question-circle' },
};

export function DlqRunbook({ steps }: { steps: RunbookStep[] }) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(true);
  return (
    <div data-testid={testIds.dlq.runbook}>
      <Collapse label="Event delivery DLQ runbook" isOpen={open} onToggle={() => setOpen(!open)}>
        <ol className={styles.list}>
          {steps.map((step) => (
            <li key={step.key} className={styles.step} data-testid={testIds.dlq.runbookStep} data-step={step.key}>
              <Stack direction="column" gap={0.5}>
                <Text weight="medium">{step.title}</Text>
                <Text color="secondary" variant="bodySmall">
                  {step.text}
                </Text>
                <div>
                  <Badge
                    className={BADGE[step.tone].color === 'darkgrey' ? styles.unknown : undefined}
                    color={BADGE[step.tone].color}
                    icon={BADGE[step.tone].icon}
                    text={step.live}
                    data-live
                    data-tone={step.tone}
                  />
                </div>
                {step.commands.map((c) => (
                  <Stack key={c.label} alignItems="center" gap={1}>
                    <Text color="secondary" variant="bodySmall">
                      {c.label}
                    </Text>
                    <code className={styles.code}>{c.text}</code>
                    <ClipboardButton
                      size="sm"
                      variant="secondary"
                      fill="text"
                      icon="copy"
                      getText={() => c.text}
                      aria-label={`Copy ${c.label} command for ${step.title}`}
                    >
                      Copy
                    </ClipboardButton>
                  </Stack>
                ))}
              </Stack>
            </li>
          ))}
        </ol>
      </Collapse>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    margin: 0,
    paddingLeft: theme.spacing(3),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  }),
  step: css({ paddingLeft: theme.spacing(0.5) }),
  code: css({ fontSize: theme.typography.bodySmall.fontSize, wordBreak: 'break-all' }),
  // @grafana/ui's darkgrey badge text is 4.05:1 on the light theme (axe color-contrast, WCAG AA 4.5:1): the theme's
  // secondary text colour there, as the Infrastructure page's neutral badges (on the dark theme that would be 4.46:1,
  // and Grafana's own darkgrey passes).
  unknown: theme.isLight
    ? css({ color: theme.colors.text.secondary, borderColor: theme.colors.border.strong })
    : undefined,
});

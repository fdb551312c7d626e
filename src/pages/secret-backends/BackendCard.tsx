import { css } from '@emotion/css';
import { getTimeZone, type GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, Card, Stack, Text, Tooltip, useStyles2 } from '@grafana/ui';
import React from 'react';

import { testIds } from '../../components/testIds';
import { formatExact, TimeText } from '../../components/time';
import type { BackendAction, SecretBackend } from './api';
import { ACTION_LABEL, type Availability, formatInterval, healthColor, type Outcome } from './model';

interface Props {
  backend: SecretBackend;
  sync: Availability;
  test: Availability;
  running?: BackendAction;
  outcome?: Outcome;
  onAction: (action: BackendAction) => void;
}

function When({ label, iso }: { label: string; iso: string | null }) {
  return (
    <span>
      {label}: {iso ? <TimeText ms={Date.parse(iso)} tz={getTimeZone()} relative /> : 'never'}
    </span>
  );
}

function ActionButton(props: {
  action: BackendAction;
  backend: string;
  availability: Availability;
  running: boolean;
  onAction: (action: BackendAction) => void;
}) {
  const { action, availability, running } = props;
  const button = (
    <Button
      size="sm"
      variant={action === 'sync' ? 'primary' : 'secondary'}
      icon={running ? 'spinner' : action === 'sync' ? 'sync' : 'plug'}
      disabled={!availability.enabled}
      onClick={() => props.onAction(action)}
      data-testid={testIds.secretBackends[action]}
      data-focus-key={`${action}:${props.backend}`}
      aria-label={`${ACTION_LABEL[action]} ${props.backend}`}
    >
      {ACTION_LABEL[action]}
    </Button>
  );
  if (availability.enabled || !availability.reason) {
    return button;
  }
  // A disabled button gets no pointer events: the tooltip hangs on a wrapper.
  return (
    <Tooltip content={availability.reason}>
      <span tabIndex={0} data-disabled-reason={availability.reason}>
        {button}
      </span>
    </Tooltip>
  );
}

export function BackendCard({ backend, sync, test, running, outcome, onAction }: Props) {
  const styles = useStyles2(getStyles);
  const color = healthColor(backend.healthStatus);
  return (
    <Card data-testid={testIds.secretBackends.card} data-backend={backend.name}>
      <Card.Heading>{backend.name}</Card.Heading>
      <Card.Meta>
        {[
          backend.typeLabel,
          formatInterval(backend.syncIntervalMs),
          `${backend.scopeCount} ${backend.scopeCount === 1 ? 'scope' : 'scopes'}`,
          `scope filter ${backend.scopeFilter}`,
        ]}
      </Card.Meta>
      <Card.Tags>
        <Stack direction="row" gap={1}>
          <span data-testid={testIds.secretBackends.health} data-color={color}>
            <Badge
              text={backend.healthStatus}
              color={color}
              icon={color === 'green' ? 'check' : 'exclamation-triangle'}
            />
          </span>
          <Badge text={backend.enabled ? 'enabled' : 'disabled'} color={backend.enabled ? 'blue' : 'darkgrey'} />
        </Stack>
      </Card.Tags>
      <Card.Description>
        <Stack direction="column" gap={0.5}>
          <Stack direction="row" gap={2}>
            <When label="Last sync" iso={backend.lastSyncAt} />
            <When label="Last health check" iso={backend.lastHealthCheckAt} />
          </Stack>
          {backend.lastError && (
            <div data-testid={testIds.secretBackends.lastError} className={styles.error}>
              Last error: {backend.lastError}
            </div>
          )}
          {outcome && (
            <div data-testid={testIds.secretBackends.actionResult} data-ok={String(outcome.ok)}>
              <Text color={outcome.ok ? 'success' : 'error'}>
                {outcome.title}: {outcome.detail}
              </Text>{' '}
              <Text color="secondary" variant="bodySmall">
                ({formatExact(outcome.at, getTimeZone())})
              </Text>
            </div>
          )}
        </Stack>
      </Card.Description>
      <Card.Actions>
        <ActionButton
          action="sync"
          backend={backend.name}
          availability={sync}
          running={running === 'sync'}
          onAction={onAction}
        />
        <ActionButton
          action="test"
          backend={backend.name}
          availability={test}
          running={running === 'test'}
          onAction={onAction}
        />
      </Card.Actions>
    </Card>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  error: css({ color: theme.colors.error.text, wordBreak: 'break-word' }),
});

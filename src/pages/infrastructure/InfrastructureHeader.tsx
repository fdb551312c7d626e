import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Icon, Input, Spinner, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';

import { formatTimestamp } from '../../components/infrastructure/format';
import { MissingNote } from '../../components/infrastructure/MissingNote';
import { RuleBadge } from '../../components/infrastructure/RuleBadge';
import { nodeCountBadge } from '../../datasource/infrastructure/badges';
import type { Infrastructure } from '../../datasource/infrastructure/model';
import { testIds } from '../../components/testIds';
import { agentMissingGroups, latestUnknownReason, SOURCE_TEXT } from './summary';

export function InfrastructureHeader({ model, loading }: { model: Infrastructure; loading: boolean }) {
  const styles = useStyles2(getStyles);
  const count = nodeCountBadge(model.orchestrators);
  const agentMissing = agentMissingGroups(model.agentMissing);
  return (
    <>
      <Stack direction="row" alignItems="center" gap={2} wrap="wrap">
        <RuleBadge badge={count} testId={testIds.infrastructure.nodeCount} icon="info-circle" />
        <span data-testid={testIds.infrastructure.source} className={styles.dim}>
          from {SOURCE_TEXT[model.source]}, as of {formatTimestamp(Date.parse(model.generatedAt))}
        </span>
        <span data-testid={testIds.infrastructure.latestVersion}>
          latest published orchestrator:{' '}
          {model.latestVersion ? (
            <code>{model.latestVersion}</code>
          ) : (
            <span className={styles.dim}>{latestUnknownReason(model)}</span>
          )}
        </span>
        {loading && <Spinner inline aria-label="Refreshing" />}
      </Stack>
      {agentMissing.length > 0 && (
        <div data-testid={testIds.infrastructure.agentMissing}>
          <MissingNote groups={agentMissing} />
        </div>
      )}
    </>
  );
}

export type FilterKey = 'search' | 'host' | 'label' | 'version';

interface FiltersProps {
  values: Record<FilterKey, string>;
  onChange: (key: FilterKey, value: string) => void;
  onClear: () => void;
}

export function InfrastructureFilters({ values, onChange, onClear }: FiltersProps) {
  const styles = useStyles2(getStyles);
  const active = Object.values(values).some((v) => v.trim() !== '');
  const field = (key: Exclude<FilterKey, 'search'>, placeholder: string, width: number) => (
    <Input
      width={width}
      value={values[key]}
      placeholder={placeholder}
      aria-label={`Filter by ${key}`}
      data-testid={testIds.infrastructure.filter}
      data-filter={key}
      onChange={(e) => onChange(key, e.currentTarget.value)}
    />
  );
  return (
    <div className={styles.filters}>
      <Input
        width={40}
        prefix={<Icon name="search" />}
        value={values.search}
        placeholder="Search ids, hosts, versions, pools, labels"
        aria-label="Search the infrastructure"
        data-testid={testIds.infrastructure.search}
        onChange={(e) => onChange('search', e.currentTarget.value)}
      />
      {field('host', 'host', 20)}
      {field('label', 'label, e.g. kici:os:linux', 28)}
      {field('version', 'version', 14)}
      {active && (
        <Button variant="secondary" fill="text" onClick={onClear} data-testid={testIds.infrastructure.clearFilters}>
          Clear filters
        </Button>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  filters: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), alignItems: 'center' }),
  dim: css({ color: theme.colors.text.secondary }),
});

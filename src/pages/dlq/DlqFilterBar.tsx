// The list's filters (applied on Enter or when a field loses focus) and the bulk retry button.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, InlineField, InlineSwitch, Input, Stack, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';

import { testIds } from '../../components/testIds';
import { GuardedButton } from './actions';
import type { DlqVerdict } from './api';
import { DEFAULT_FILTERS, type DlqFilters, type TextFilter } from './filters';

const FIELDS: Array<{ key: TextFilter; label: string; placeholder: string; tooltip: string }> = [
  { key: 'eventName', label: 'Event name', placeholder: 'deploy-complete', tooltip: 'Exact event_name' },
  { key: 'routingKey', label: 'Routing key', placeholder: 'github:42', tooltip: 'Exact source_routing_key' },
  { key: 'repo', label: 'Repository', placeholder: 'acme/api', tooltip: 'Exact source_repo' },
  {
    key: 'errorText',
    label: 'Last error contains',
    placeholder: 'lock file',
    tooltip: 'Text anywhere in last_error, case-insensitive; % and _ match themselves',
  },
];

function TextFilterField(props: { field: (typeof FIELDS)[number]; value: string; onCommit: (value: string) => void }) {
  const [draft, setDraft] = useState(props.value);
  const commit = () => {
    if (draft.trim() !== props.value) {
      props.onCommit(draft.trim());
    }
  };
  return (
    <InlineField label={props.field.label} tooltip={props.field.tooltip}>
      <Input
        width={24}
        value={draft}
        placeholder={props.field.placeholder}
        aria-label={props.field.label}
        data-testid={testIds.dlq.filter}
        data-filter={props.field.key}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            commit();
          }
        }}
      />
    </InlineField>
  );
}

export interface DlqFilterBarProps {
  filters: DlqFilters;
  onChange: (filters: DlqFilters) => void;
  bulkVerdict: DlqVerdict;
  bulkBusy: boolean;
  onBulkRetry: () => void;
  /** The page's time picker: shown, and governing the list, only while "Only within a time range" is on. */
  timePicker?: React.ReactNode;
  /** The signature filter's text as the backend read it (null while unknown, or when no event has it now). */
  signatureText?: string | null;
}

/** The signature filter as a removable chip: it is set from the signatures view (or a shared URL), not typed. */
function SignatureChip(props: { id: string; text: string | null; onRemove: () => void }) {
  const styles = useStyles2(getStyles);
  return (
    <span className={styles.chip} data-testid={testIds.dlq.signatureFilter} data-signature-id={props.id}>
      <span className={styles.chipLabel}>Error signature</span>
      <span className={styles.chipText} title={props.text ?? props.id}>
        {props.text ?? props.id}
      </span>
      {/* A Button, not an IconButton: it keeps its size (and stays clickable) where an icon has not loaded. */}
      <Button
        icon="times"
        size="sm"
        fill="text"
        variant="secondary"
        aria-label="Remove the error signature filter"
        tooltip="Remove the error signature filter"
        data-testid={testIds.dlq.removeSignature}
        onClick={props.onRemove}
      />
    </span>
  );
}

export function DlqFilterBar(props: DlqFilterBarProps) {
  const { filters, onChange, bulkVerdict, bulkBusy, onBulkRetry, timePicker, signatureText } = props;
  const styles = useStyles2(getStyles);
  const isDefault = FIELDS.every((f) => filters[f.key] === '') && filters.signature === '' && !filters.inRange;
  return (
    <div className={styles.bar} data-testid={testIds.dlq.filters}>
      <Stack wrap="wrap" gap={1} alignItems="center">
        {filters.signature !== '' && (
          <SignatureChip
            id={filters.signature}
            text={signatureText ?? null}
            onRemove={() => onChange({ ...filters, signature: '' })}
          />
        )}
        {FIELDS.map((field) => (
          <TextFilterField
            // Remounts with the new value when the filter changes elsewhere (URL, Clear filters).
            key={`${field.key}:${filters[field.key]}`}
            field={field}
            value={filters[field.key]}
            onCommit={(value) => onChange({ ...filters, [field.key]: value })}
          />
        ))}
        <InlineField
          label="Only within a time range"
          tooltip="On: only events moved to the DLQ (dlq_at) within the range chosen next to it. Off: the whole DLQ (its rows never expire). The stats above always count their own windows."
        >
          <InlineSwitch
            value={filters.inRange}
            data-testid={testIds.dlq.inRange}
            aria-label="Only within a time range"
            onChange={(e) => onChange({ ...filters, inRange: e.currentTarget.checked })}
          />
        </InlineField>
        {filters.inRange && timePicker ? <div data-testid={testIds.dlq.timePicker}>{timePicker}</div> : null}
        {!isDefault && (
          <Button
            variant="secondary"
            fill="text"
            icon="times"
            data-testid={testIds.dlq.clearFilters}
            onClick={() => onChange({ ...DEFAULT_FILTERS, sort: filters.sort, dir: filters.dir })}
          >
            Clear filters
          </Button>
        )}
        <div className={styles.spacer} />
        <GuardedButton
          verdict={bulkVerdict}
          icon={bulkBusy ? 'spinner' : 'repeat'}
          variant="secondary"
          disabled={bulkBusy}
          data-testid={testIds.dlq.bulkRetry}
          data-focus-key="bulk-retry"
          onClick={onBulkRetry}
        >
          Retry all matching…
        </GuardedButton>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ paddingTop: theme.spacing(1) }),
  spacer: css({ flexGrow: 1 }),
  chip: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    maxWidth: 560,
    padding: theme.spacing(0.25, 0.5, 0.25, 1),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.background.secondary,
  }),
  chipLabel: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
  chipText: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
});

import { type QueryEditorProps, type SelectableValue } from '@grafana/data';
import {
  Button,
  Combobox,
  type ComboboxOption,
  InlineField,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Stack,
  Text,
} from '@grafana/ui';
import React, { type ChangeEvent } from 'react';

import { testIds } from '../components/testIds';
import { parsePositiveInt } from './configSettings';
import type { DataSource } from './datasource';
import { DEFAULT_QUERY_TYPE, type KiciQuery, type QueryType } from './query';
import type { KiciJsonData } from './types';
import { QUERY_TYPE_INFOS, queryTypeInfo, withQueryType } from './queryTypes';

type Props = QueryEditorProps<DataSource, KiciQuery, KiciJsonData>;

const TYPE_OPTIONS: Array<ComboboxOption<QueryType>> = QUERY_TYPE_INFOS.map(({ value, label, description }) => ({
  value,
  label,
  description,
}));

/** dlqEvents sorts by admission time only: the one order KiCI indexes (the plugin refuses the others with a 400). */
const SORT_TOOLTIP =
  'DLQ events are listed by the time they were dead-lettered, the one order KiCI indexes. Sorting by created time, attempts or event name would sort the whole DLQ for every page (100–650 ms at 100,000 events), so the plugin does not offer them.';

const DIRECTION_OPTIONS: Array<SelectableValue<NonNullable<KiciQuery['sortDirection']>>> = [
  { label: 'Newest first', value: 'desc', icon: 'arrow-down' },
  { label: 'Oldest first', value: 'asc', icon: 'arrow-up' },
];

const TEXT_OPTIONS = {
  routingKey: {
    label: 'Routing key',
    placeholder: 'github:42',
    tooltip: 'Only this routing key (source). Variables allowed.',
  },
  eventName: { label: 'Event name', placeholder: 'push', tooltip: 'Exact event name' },
  repo: { label: 'Repository', placeholder: 'org/repo', tooltip: 'Repository full name' },
  errorText: {
    label: 'Error contains',
    placeholder: 'timeout',
    tooltip: 'Substring of the last error (case-insensitive)',
  },
} as const;

const SECTION_OPTIONS: Array<SelectableValue<NonNullable<KiciQuery['section']> | 'both'>> = [
  { label: 'Both', value: 'both', description: 'The summary frame and the leases frame' },
  { label: 'Summary', value: 'summary', description: 'Counts by state (stat panels)' },
  { label: 'Leases', value: 'leases', description: 'Claimed events and their leases (table)' },
];

const TIME_RANGE_TOOLTIPS: Partial<Record<QueryType, string>> = {
  executionMetrics: 'Use the dashboard time range instead of the last 24 hours',
  dlqEvents: 'Only events dead-lettered within the dashboard time range; off lists the whole DLQ',
};

const LABEL_WIDTH = 18;

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? DEFAULT_QUERY_TYPE;
  const info = queryTypeInfo(queryType);
  const uses = new Set(info.options);

  const update = (patch: Partial<KiciQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };
  const onText = (key: keyof typeof TEXT_OPTIONS) => (e: ChangeEvent<HTMLInputElement>) =>
    update({ [key]: e.currentTarget.value || undefined }, false);

  return (
    <Stack direction="column" gap={0} data-testid={testIds.queryEditor.container}>
      <InlineField label="Query type" htmlFor="kici-query-type" labelWidth={LABEL_WIDTH} tooltip={info.description}>
        <Combobox
          id="kici-query-type"
          width={32}
          options={TYPE_OPTIONS}
          value={queryType}
          onChange={(option) => {
            onChange(withQueryType(query, option.value));
            onRunQuery();
          }}
        />
      </InlineField>

      {(Object.keys(TEXT_OPTIONS) as Array<keyof typeof TEXT_OPTIONS>)
        .filter((key) => uses.has(key))
        .map((key) => (
          <InlineField
            key={key}
            label={TEXT_OPTIONS[key].label}
            labelWidth={LABEL_WIDTH}
            tooltip={TEXT_OPTIONS[key].tooltip}
          >
            <Input
              aria-label={TEXT_OPTIONS[key].label}
              width={32}
              value={query[key] ?? ''}
              placeholder={TEXT_OPTIONS[key].placeholder}
              onChange={onText(key)}
              onBlur={onRunQuery}
            />
          </InlineField>
        ))}

      {uses.has('excludeTestRuns') && (
        <InlineField label="Exclude test runs" labelWidth={LABEL_WIDTH} tooltip="Leave out CLI test runs (is_test_run)">
          <InlineSwitch
            aria-label="Exclude test runs"
            value={query.excludeTestRuns ?? false}
            onChange={(e) => update({ excludeTestRuns: e.currentTarget.checked })}
          />
        </InlineField>
      )}

      {uses.has('useTimeRange') && (
        <InlineField label="Use time range" labelWidth={LABEL_WIDTH} tooltip={TIME_RANGE_TOOLTIPS[queryType]}>
          <InlineSwitch
            aria-label="Use time range"
            value={query.useTimeRange ?? false}
            onChange={(e) => update({ useTimeRange: e.currentTarget.checked })}
          />
        </InlineField>
      )}

      {uses.has('series') && (
        <InlineField
          label="Over time"
          labelWidth={LABEL_WIDTH}
          tooltip="DLQ admissions per interval over the time range; off returns the current depth (for alert rules)"
        >
          <InlineSwitch
            aria-label="Over time"
            value={query.series ?? false}
            onChange={(e) => update({ series: e.currentTarget.checked })}
          />
        </InlineField>
      )}

      {uses.has('section') && (
        <InlineField label="Frames" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup
            options={SECTION_OPTIONS}
            value={query.section ?? 'both'}
            onChange={(section) =>
              update({ section: section === 'both' ? undefined : (section as KiciQuery['section']) })
            }
          />
        </InlineField>
      )}

      {uses.has('sort') && (
        <InlineField label="Order" labelWidth={LABEL_WIDTH} tooltip={SORT_TOOLTIP}>
          <Stack direction="row" gap={1} alignItems="center">
            <RadioButtonGroup
              options={DIRECTION_OPTIONS}
              value={query.sortDirection ?? 'desc'}
              onChange={(sortDirection) => update({ sortDirection })}
            />
            {query.sort !== undefined && query.sort !== 'dlqAt' && (
              <>
                <Text color="warning">Sorting by {query.sort} is no longer offered.</Text>
                <Button size="sm" variant="secondary" onClick={() => update({ sort: undefined, cursor: undefined })}>
                  Sort by time in the DLQ
                </Button>
              </>
            )}
          </Stack>
        </InlineField>
      )}

      {uses.has('limit') && (
        <InlineField label="Limit" labelWidth={LABEL_WIDTH} tooltip="Rows per page">
          <Input
            aria-label="Limit"
            type="number"
            width={12}
            value={query.limit ?? ''}
            placeholder="100"
            onChange={(e) => update({ limit: parsePositiveInt(e.currentTarget.value) }, false)}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
    </Stack>
  );
}

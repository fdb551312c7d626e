// The DLQ list: one row per event, server-side sort on the column headers, Retry / Discard per row.
import { type Column, InteractiveTable, Stack, Text, TextLink } from '@grafana/ui';
import React, { useCallback, useMemo } from 'react';
import type { CellProps } from 'react-table';

import { testIds } from '../../components/testIds';
import { GuardedButton } from './actions';
import type { DlqVerdict } from './api';
import { type DlqRow, formatTime } from './data';
import { type DlqFilters, listParams, sortByOf, sortFromSortBy } from './filters';
import { dlqEventUrl } from './links';

export interface DlqEventsTableProps {
  rows: DlqRow[];
  filters: DlqFilters;
  onSort: (filters: DlqFilters) => void;
  retry: DlqVerdict;
  discard: DlqVerdict;
  /** A row's Retry or Discard was clicked: the list asks for confirmation. */
  onAsk: (action: 'retry' | 'discard', row: DlqRow) => void;
}

type Cell = CellProps<DlqRow>;

const orDash = (v: string | null) => v ?? '—';

export function RowActions({
  row,
  retry,
  discard,
  onAsk,
}: { row: DlqRow } & Pick<DlqEventsTableProps, 'retry' | 'discard' | 'onAsk'>) {
  return (
    <Stack gap={1}>
      <GuardedButton
        verdict={retry}
        icon="repeat"
        variant="secondary"
        fill="outline"
        size="sm"
        data-testid={testIds.dlq.retry}
        onClick={() => onAsk('retry', row)}
      >
        Retry
      </GuardedButton>
      <GuardedButton
        verdict={discard}
        icon="trash-alt"
        variant="destructive"
        fill="outline"
        size="sm"
        data-testid={testIds.dlq.discard}
        onClick={() => onAsk('discard', row)}
      >
        Discard
      </GuardedButton>
    </Stack>
  );
}

export function DlqEventsTable({ rows, filters, onSort, retry, discard, onAsk }: DlqEventsTableProps) {
  const returnParams = useMemo(() => listParams(filters), [filters]);
  const columns = useMemo<Array<Column<DlqRow>>>(
    () => [
      {
        id: 'id',
        header: 'Event',
        cell: ({ row }: Cell) => (
          <span data-testid={testIds.dlq.row} data-event-id={row.original.id}>
            <TextLink
              href={dlqEventUrl(row.original.id, returnParams)}
              inline={false}
              data-testid={testIds.dlq.rowLink}
            >
              {row.original.id.slice(0, 8)}
            </TextLink>
          </span>
        ),
      },
      { id: 'eventName', header: 'Event name', sortType: 'string', cell: ({ row }: Cell) => row.original.eventName },
      { id: 'routingKey', header: 'Routing key', cell: ({ row }: Cell) => orDash(row.original.routingKey) },
      { id: 'repo', header: 'Repository', cell: ({ row }: Cell) => orDash(row.original.repo) },
      { id: 'sourceRunId', header: 'Source run', cell: ({ row }: Cell) => orDash(row.original.sourceRunId) },
      { id: 'attempts', header: 'Attempts', sortType: 'number', cell: ({ row }: Cell) => row.original.attempts },
      { id: 'reason', header: 'Reason', cell: ({ row }: Cell) => orDash(row.original.reason) },
      {
        id: 'dlqAt',
        header: 'In DLQ since',
        sortType: 'datetime',
        sortDescFirst: true,
        cell: ({ row }: Cell) => (row.original.dlqAt === null ? '—' : formatTime(row.original.dlqAt)),
      },
      {
        id: 'createdAt',
        header: 'Created',
        sortType: 'datetime',
        sortDescFirst: true,
        cell: ({ row }: Cell) => (row.original.createdAt === null ? '—' : formatTime(row.original.createdAt)),
      },
      {
        id: 'lastError',
        header: 'Last error',
        cell: ({ row }: Cell) =>
          row.original.lastError ? (
            <span title="Truncated here; the event's page shows all of it">
              <Text variant="bodySmall" truncate>
                {row.original.lastError}
              </Text>
            </span>
          ) : (
            '—'
          ),
      },
      {
        id: 'actions',
        header: '',
        disableGrow: true,
        cell: ({ row }: Cell) => <RowActions row={row.original} retry={retry} discard={discard} onAsk={onAsk} />,
      },
    ],
    [retry, discard, onAsk, returnParams]
  );
  const initialSortBy = useMemo(() => sortByOf(filters), []); // eslint-disable-line react-hooks/exhaustive-deps
  const fetchData = useCallback(
    ({ sortBy }: { sortBy: Array<{ id: string; desc?: boolean }> }) => {
      const next = sortFromSortBy(filters, sortBy);
      if (next !== filters) {
        onSort(next);
      }
    },
    [filters, onSort]
  );
  return (
    <div id="dlq-events" data-testid={testIds.dlq.table}>
      <InteractiveTable
        columns={columns}
        data={rows}
        getRowId={(r) => r.id}
        fetchData={fetchData}
        initialSortBy={initialSortBy}
        disableSortRemove
      />
    </div>
  );
}

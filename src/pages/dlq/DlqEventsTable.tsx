// The DLQ list: one row per event, server-side sort on the column headers, Retry / Discard first on each row (in
// view however wide the last error), creation time on the event's page.
import { css } from '@emotion/css';
import { type Column, InteractiveTable, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import React, { useCallback, useMemo } from 'react';
import type { CellProps } from 'react-table';

import { testIds } from '../../components/testIds';
import { GuardedButton } from './actions';
import type { DlqVerdict } from './api';
import { type DlqRow, formatTime } from './data';
import { type DlqFilters, listParams, sortByOf, sortFromSortBy } from './filters';
import { dlqEventUrl, logsTraceUrl } from './links';

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

const getStyles = () => ({
  // Ids and times stay on one line so a row is one line high and the actions stay in view.
  nowrap: css({ whiteSpace: 'nowrap' }),
  lastError: css({ maxWidth: 360 }),
});

export function RowActions({
  row,
  retry,
  discard,
  onAsk,
}: { row: DlqRow } & Pick<DlqEventsTableProps, 'retry' | 'discard' | 'onAsk'>) {
  const short = row.id.slice(0, 8);
  return (
    <Stack gap={0.5}>
      <GuardedButton
        verdict={retry}
        icon="repeat"
        variant="secondary"
        fill="text"
        size="sm"
        tooltip="Retry"
        aria-label={`Retry event ${short}`}
        data-testid={testIds.dlq.retry}
        onClick={() => onAsk('retry', row)}
      />
      <GuardedButton
        verdict={discard}
        icon="trash-alt"
        variant="destructive"
        fill="text"
        size="sm"
        tooltip="Discard"
        aria-label={`Discard event ${short}`}
        data-testid={testIds.dlq.discard}
        onClick={() => onAsk('discard', row)}
      />
    </Stack>
  );
}

export function DlqEventsTable({ rows, filters, onSort, retry, discard, onAsk }: DlqEventsTableProps) {
  const styles = useStyles2(getStyles);
  const returnParams = useMemo(() => listParams(filters), [filters]);
  const columns = useMemo<Array<Column<DlqRow>>>(
    () => [
      {
        id: 'actions',
        header: '',
        disableGrow: true,
        cell: ({ row }: Cell) => <RowActions row={row.original} retry={retry} discard={discard} onAsk={onAsk} />,
      },
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
      {
        id: 'sourceRunId',
        header: 'Source run',
        cell: ({ row }: Cell) => {
          const runId = row.original.sourceRunId;
          return runId === null ? (
            '—'
          ) : (
            <span title={`${runId}: the run's logs`}>
              <TextLink href={logsTraceUrl({ runId })} inline={false}>
                {runId.slice(0, 8)}
              </TextLink>
            </span>
          );
        },
      },
      { id: 'attempts', header: 'Attempts', sortType: 'number', cell: ({ row }: Cell) => row.original.attempts },
      { id: 'reason', header: 'Reason', cell: ({ row }: Cell) => orDash(row.original.reason) },
      {
        id: 'dlqAt',
        header: 'In DLQ since',
        sortType: 'datetime',
        sortDescFirst: true,
        cell: ({ row }: Cell) => (
          <span className={styles.nowrap}>{row.original.dlqAt === null ? '—' : formatTime(row.original.dlqAt)}</span>
        ),
      },
      {
        id: 'lastError',
        header: 'Last error',
        cell: ({ row }: Cell) =>
          row.original.lastError ? (
            <div className={styles.lastError} title="Truncated here; the event's page shows all of it">
              <Text variant="bodySmall" truncate>
                {row.original.lastError}
              </Text>
            </div>
          ) : (
            '—'
          ),
      },
    ],
    [retry, discard, onAsk, returnParams, styles]
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

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
  // Two lines here; the row's expansion (keyboard: its toggle button) and the event's page show all of it.
  lastError: css({
    minWidth: 160,
    maxWidth: 360,
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
  }),
  // The table scrolls sideways inside its region when the page is narrow; the region takes focus for the keyboard.
  region: css({ overflowX: 'auto', maxWidth: '100%' }),
  expanded: css({ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }),
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
        data-focus-key={`retry:${row.id}`}
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
        data-focus-key={`discard:${row.id}`}
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
        header: 'Actions',
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
            <div className={styles.lastError}>
              <Text variant="bodySmall">{row.original.lastError}</Text>
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
    <div
      id="dlq-events"
      data-testid={testIds.dlq.table}
      className={styles.region}
      tabIndex={0}
      role="region"
      aria-label="DLQ events"
    >
      <InteractiveTable
        columns={columns}
        data={rows}
        getRowId={(r) => r.id}
        renderExpandedRow={(r) => <ExpandedRow row={r} />}
        fetchData={fetchData}
        initialSortBy={initialSortBy}
        disableSortRemove
      />
    </div>
  );
}

/** A row's expansion: every column the table may cut, in full. */
function ExpandedRow({ row }: { row: DlqRow }) {
  const styles = useStyles2(getStyles);
  return (
    <dl data-testid={testIds.dlq.expandedRow}>
      <dt>Event id</dt>
      <dd>{row.id}</dd>
      <dt>In DLQ since</dt>
      <dd>{row.dlqAt === null ? '—' : formatTime(row.dlqAt)}</dd>
      <dt>Routing key</dt>
      <dd>{orDash(row.routingKey)}</dd>
      <dt>Last error</dt>
      <dd>
        <pre className={styles.expanded}>{row.lastError ?? '—'}</pre>
      </dd>
    </dl>
  );
}

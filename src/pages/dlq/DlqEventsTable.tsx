// The DLQ list: one row per event, server-side sort on the one column KiCI indexes (the note above the table says
// why), Retry / Discard first on each row (in view however wide the last error), a disclosure per row with what the
// row cuts, creation time on the event's page.
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, IconButton, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import React, { useCallback, useMemo, useState } from 'react';

import { testIds } from '../../components/testIds';
import { GuardedButton } from './actions';
import type { DlqVerdict } from './api';
import { type DlqRow, formatTime } from './data';
import { type DlqFilters, type DlqSort, listParams, nextSort, type SortDirection } from './filters';
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

const orDash = (v: string | null) => v ?? '—';

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({ width: '100%', borderRadius: theme.shape.radius.default }),
  header: css({
    padding: theme.spacing(1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    whiteSpace: 'nowrap',
    textAlign: 'left',
    fontWeight: theme.typography.fontWeightMedium,
  }),
  // The expander and actions columns take only the room their buttons need.
  shrink: css({ width: 0 }),
  sortButton: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: 0,
    background: 'none',
    border: 'none',
    color: 'inherit',
    font: 'inherit',
    fontWeight: theme.typography.fontWeightMedium,
    cursor: 'pointer',
  }),
  row: css({
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    '&:hover': { backgroundColor: theme.colors.emphasize(theme.colors.background.primary, 0.03) },
  }),
  openRow: css({ borderBottom: 'none' }),
  cell: css({ padding: theme.spacing(1), verticalAlign: 'middle' }),
  details: css({ padding: theme.spacing(1, 2, 2, 5) }),
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
  sortNote: css({ margin: theme.spacing(0, 0, 1, 0) }),
});

const SORT_NOTE_ID = 'dlq-events-sort-note';
/** Why one column sorts: the plugin offers only the order KiCI's index serves (bench/dlq-sorts.ts measures the rest). */
export const SORT_NOTE =
  'Sorted by “In DLQ since”, the one order KiCI indexes. Sorting 100,000 DLQ events by another column would take 100–650 ms a page, so the list offers only this one; narrow it with the filters instead.';

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

/** A column of the list: its header, its cell, and the server-side sort it asks for when it has one. */
interface DlqColumn {
  id: string;
  header: string;
  sort?: { key: DlqSort; firstDir: SortDirection };
  cell: (row: DlqRow) => React.ReactNode;
}

// The plugin's own table rather than @grafana/ui's InteractiveTable: across the declared range that component differs
// where the list depends on it. In 11.6.0 (components/InteractiveTable/Expander/index.tsx) the row expander always
// sets aria-controls to the expanded row's id, which is not in the DOM while the row is collapsed, and carries no
// aria-expanded then (react-table 7.8.0 leaves row.isExpanded undefined; 12.4.2 too): axe critical
// aria-valid-attr-value. Its name is "toggle row expanded", the expander column's header is empty, and the table
// ignores `disableSortRemove` and a column's `sortDescFirst` (InteractiveTable.tsx, utils.ts); 12.4.2 has these.
export function DlqEventsTable({ rows, filters, onSort, retry, discard, onAsk }: DlqEventsTableProps) {
  const styles = useStyles2(getStyles);
  const returnParams = useMemo(() => listParams(filters), [filters]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback(
    (id: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) {
          next.add(id);
        }
        return next;
      }),
    []
  );
  const columns = useMemo<DlqColumn[]>(
    () => [
      {
        id: 'actions',
        header: 'Actions',
        cell: (row) => <RowActions row={row} retry={retry} discard={discard} onAsk={onAsk} />,
      },
      {
        id: 'id',
        header: 'Event',
        cell: (row) => (
          <span data-testid={testIds.dlq.row} data-event-id={row.id}>
            <TextLink href={dlqEventUrl(row.id, returnParams)} inline={false} data-testid={testIds.dlq.rowLink}>
              {row.id.slice(0, 8)}
            </TextLink>
          </span>
        ),
      },
      { id: 'eventName', header: 'Event name', cell: (row) => row.eventName },
      { id: 'routingKey', header: 'Routing key', cell: (row) => orDash(row.routingKey) },
      { id: 'repo', header: 'Repository', cell: (row) => orDash(row.repo) },
      {
        id: 'sourceRunId',
        header: 'Source run',
        cell: (row) =>
          row.sourceRunId === null ? (
            '—'
          ) : (
            <span title={`${row.sourceRunId}: the run's logs`}>
              <TextLink href={logsTraceUrl({ runId: row.sourceRunId })} inline={false}>
                {row.sourceRunId.slice(0, 8)}
              </TextLink>
            </span>
          ),
      },
      { id: 'attempts', header: 'Attempts', cell: (row) => row.attempts },
      { id: 'reason', header: 'Reason', cell: (row) => orDash(row.reason) },
      {
        id: 'dlqAt',
        header: 'In DLQ since',
        sort: { key: 'dlqAt', firstDir: 'desc' },
        cell: (row) => <span className={styles.nowrap}>{row.dlqAt === null ? '—' : formatTime(row.dlqAt)}</span>,
      },
      {
        id: 'lastError',
        header: 'Last error',
        cell: (row) =>
          row.lastError ? (
            <div className={styles.lastError}>
              <Text variant="bodySmall">{row.lastError}</Text>
            </div>
          ) : (
            '—'
          ),
      },
    ],
    [retry, discard, onAsk, returnParams, styles]
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
      <p id={SORT_NOTE_ID} className={styles.sortNote}>
        <Text variant="bodySmall" color="secondary">
          {SORT_NOTE}
        </Text>
      </p>
      <table className={styles.table}>
        <thead>
          <tr>
            <th className={cx(styles.header, styles.shrink)}>
              <span className="sr-only">Details</span>
            </th>
            {columns.map((c) => (
              <th
                key={c.id}
                className={cx(styles.header, c.id === 'actions' && styles.shrink)}
                aria-sort={
                  c.sort && filters.sort === c.sort.key
                    ? filters.dir === 'desc'
                      ? 'descending'
                      : 'ascending'
                    : undefined
                }
              >
                {c.sort ? <SortButton column={c} filters={filters} onSort={onSort} /> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const open = expanded.has(row.id);
            const detailsId = `dlq-event-details-${row.id}`;
            return (
              <React.Fragment key={row.id}>
                <tr className={cx(styles.row, open && styles.openRow)}>
                  <td className={styles.cell}>
                    <IconButton
                      name={open ? 'angle-down' : 'angle-right'}
                      size="lg"
                      aria-label={`Details of event ${row.id.slice(0, 8)}`}
                      aria-expanded={open}
                      // Only while the details are in the DOM: an id that is not there is an invalid reference.
                      aria-controls={open ? detailsId : undefined}
                      data-testid={testIds.dlq.expander}
                      onClick={() => toggle(row.id)}
                    />
                  </td>
                  {columns.map((c) => (
                    <td key={c.id} className={styles.cell}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
                {open && (
                  <tr id={detailsId} className={styles.row}>
                    <td className={styles.details} colSpan={columns.length + 1}>
                      <ExpandedRow row={row} />
                    </td>
                  </tr>
                )}
              </React.Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SortButton({
  column,
  filters,
  onSort,
}: {
  column: DlqColumn;
  filters: DlqFilters;
  onSort: (filters: DlqFilters) => void;
}) {
  const styles = useStyles2(getStyles);
  const sort = column.sort!;
  const sorted = filters.sort === sort.key;
  return (
    <button
      type="button"
      className={styles.sortButton}
      aria-describedby={SORT_NOTE_ID}
      onClick={() => onSort(nextSort(filters, sort.key, sort.firstDir))}
    >
      {column.header}
      {sorted && (
        <span aria-hidden="true">
          <Icon name={filters.dir === 'desc' ? 'angle-down' : 'angle-up'} />
        </span>
      )}
    </button>
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

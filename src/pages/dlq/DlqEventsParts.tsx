// Thin pieces of the DLQ list (DlqTriageScene.tsx): the pager and the confirmations of a row action and a bulk retry.
import { Button, Spinner, Stack, Text } from '@grafana/ui';
import React from 'react';

import { testIds } from '../../components/testIds';
import type { BulkDryRun } from './api';
import { bulkRetryConfirmation, confirmVariant, pageRange, rowConfirmation } from './confirm';
import type { DlqRow } from './data';
import { parseRate } from './redrive/model';
import { RedriveConfirmBody } from './redrive/RedriveConfirmBody';
import { TypedConfirmModal, type TypedConfirmModalProps } from './TypedConfirmModal';
import type { DlqAction } from './verdicts';

export interface DlqPagerProps {
  page: number;
  pageSize: number;
  rowsShown: number;
  /** Matching events in all pages, when known. */
  total: number | null;
  filtered: boolean;
  failed: boolean;
  /** Loading a page after one was shown. */
  reloading: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}

export function DlqPager(p: DlqPagerProps) {
  return (
    <nav aria-label="DLQ pages">
      <Stack alignItems="center" gap={2}>
        <Button
          size="sm"
          variant="secondary"
          fill="outline"
          icon="angle-left"
          onClick={p.onPrevious}
          data-testid={testIds.dlq.previousPage}
          disabled={!p.hasPrevious}
        >
          Previous page
        </Button>
        <span data-testid={testIds.dlq.pageInfo} aria-live="polite">
          <Text color="secondary">
            {p.failed ? 'Unknown' : pageRange(p.page, p.pageSize, p.rowsShown, p.total)}
            {p.filtered && p.total !== null && p.rowsShown > 0 ? ' matching' : ''}
            {p.reloading ? ' · loading…' : ''}
          </Text>
        </span>
        <Button
          size="sm"
          variant="secondary"
          fill="outline"
          icon="angle-right"
          onClick={p.onNext}
          data-testid={testIds.dlq.nextPage}
          disabled={!p.hasNext}
        >
          Next page
        </Button>
      </Stack>
    </nav>
  );
}

export function RowActionModal(props: {
  asked?: { action: DlqAction; row: DlqRow; running: boolean };
  onConfirm: TypedConfirmModalProps['onConfirm'];
  onDismiss: () => void;
}) {
  const { asked } = props;
  const verb = asked?.action === 'retry' ? 'Retry' : 'Discard';
  return (
    <TypedConfirmModal
      isOpen={asked !== undefined}
      title={asked ? `${verb} event ${asked.row.id}?` : ''}
      body={asked ? <AskedBody action={asked.action} row={asked.row} running={asked.running} /> : null}
      confirmText={asked?.running ? (asked.action === 'retry' ? 'Retrying…' : 'Discarding…') : verb}
      confirmButtonVariant={confirmVariant(asked?.action ?? 'retry')}
      confirmationText={asked ? rowConfirmation(asked.action, asked.row.id) : undefined}
      disabled={asked?.running ?? false}
      onConfirm={props.onConfirm}
      onDismiss={props.onDismiss}
    />
  );
}

function AskedBody({ action, row, running }: { action: DlqAction; row: DlqRow; running: boolean }) {
  return (
    <Stack direction="column" gap={1}>
      {action === 'retry' ? (
        <div>
          {row.eventName} goes back to the queue: the DLQ flag is cleared, attempts reset to 0, and an orchestrator
          re-dispatches it now. If the cause is not fixed it lands here again.
        </div>
      ) : (
        <div>
          {row.eventName} is deleted from kici_events. This cannot be undone: the event will never be delivered.
        </div>
      )}
      {running && (
        <Stack alignItems="center" gap={1}>
          <Spinner inline /> {action === 'retry' ? 'Retrying' : 'Discarding'} through the orchestrator admin API…
        </Stack>
      )}
    </Stack>
  );
}

export interface BulkState {
  phase: 'counting' | 'confirm' | 'running';
  dryRun?: BulkDryRun;
  description: string;
  /** What the redrive takes (the dry run's filter) and the rate typed in the dialog. */
  filter?: Record<string, string | number>;
  rateText?: string;
}

/** How many events a redrive of the dry run's filter takes (all that match, not the 100 of one bulk request). */
const redriveCount = (d?: BulkDryRun) => d?.matching ?? d?.count ?? 0;

export function BulkRetryModal(props: {
  bulk?: BulkState;
  filtered: boolean;
  onRateText: (text: string) => void;
  onConfirm: TypedConfirmModalProps['onConfirm'];
  onDismiss: () => void;
}) {
  const { bulk } = props;
  const count = redriveCount(bulk?.dryRun);
  return (
    <TypedConfirmModal
      isOpen={bulk?.phase === 'confirm' || bulk?.phase === 'running'}
      title={`Retry ${count} DLQ event(s) at a controlled rate?`}
      body={
        <RedriveConfirmBody
          count={count}
          description={bulk?.description ?? ''}
          rateText={bulk?.rateText ?? ''}
          onRateText={props.onRateText}
          starting={bulk?.phase === 'running'}
        />
      }
      confirmText={bulk?.phase === 'running' ? 'Starting…' : `Retry ${count}`}
      confirmButtonVariant={confirmVariant('bulk-retry')}
      confirmationText={bulk?.dryRun ? bulkRetryConfirmation(count, props.filtered) : undefined}
      disabled={bulk?.phase === 'running' || 'error' in parseRate(bulk?.rateText ?? '')}
      onConfirm={props.onConfirm}
      onDismiss={props.onDismiss}
    />
  );
}

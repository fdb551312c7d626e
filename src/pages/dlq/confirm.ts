// What a DLQ action asks before it runs. Irreversible or large actions ask the operator to type what they act on, as
// Grafana's own deletes ask to type "Delete" (@grafana/ui 12.4.2 ConfirmModal `confirmationText`); one press for the
// rest. Pure.
import type { DlqAction } from './verdicts';

/** A bulk retry of at least this many events asks for the count even with a filter. */
export const LARGE_BULK = 50;

/** The text to type, or undefined when pressing the button is enough. */
export function bulkRetryConfirmation(count: number, filtered: boolean): string | undefined {
  return !filtered || count >= LARGE_BULK ? String(count) : undefined;
}

/** Discard cannot be undone: type the event's short id (the one the list shows). Retry is one press. */
export function rowConfirmation(action: DlqAction, eventId: string): string | undefined {
  return action === 'discard' ? eventId.slice(0, 8) : undefined;
}

/** Red only for what destroys. */
export function confirmVariant(action: DlqAction | 'bulk-retry'): 'destructive' | 'primary' {
  return action === 'discard' ? 'destructive' : 'primary';
}

/** "1–50 of 160": the rows of this page among all that match (depth when unfiltered). */
export function pageRange(page: number, pageSize: number, shown: number, total: number | null): string {
  if (shown === 0) {
    return total === null ? 'No event' : `0 of ${total}`;
  }
  const first = (page - 1) * pageSize + 1;
  const last = first + shown - 1;
  return `${first}–${last}${total === null ? '' : ` of ${total}`}`;
}

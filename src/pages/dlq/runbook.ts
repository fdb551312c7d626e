// KiCI's "Event delivery DLQ runbook" (monitoring page, six triage steps), each step with its live value and the
// kici-admin command that does the same from a shell. Pure.
import { DLQ_PROMQL, eventLogql, KICI_ADMIN } from './links';

/** `unknown`: the page cannot tell (a query failed or has not answered); never shown as a pass. */
export type StepTone = 'ok' | 'info' | 'warning' | 'error' | 'unknown';

export interface RunbookCommand {
  label: string;
  text: string;
}

export interface RunbookStep {
  key: 'confirm' | 'inspect' | 'logs' | 'fix' | 'decide' | 'watch';
  title: string;
  /** What KiCI's runbook says to do. */
  text: string;
  /** The live value for this step, in words. */
  live: string;
  tone: StepTone;
  commands: RunbookCommand[];
}

export interface RunbookInputs {
  depth: number | null;
  admittedLastHour: number | null;
  /** Admissions since the last retry made on this page (null: none made). */
  admittedSinceRetry: number | null;
  lastRetryAt: number | null;
  /** Admissions in the last 15 minutes, when no retry was made here. */
  admittedRecently: number | null;
  rowsShown: number | null;
  /** Why the list could not be read (the list query failed), else null. */
  eventsError: string | null;
  /** Why the stats could not be read (depth and admissions), else null. */
  statsError: string | null;
  filtered: boolean;
  topEventName: { name: string; count: number } | null;
  /** The first event the list shows: the commands use its id. */
  firstEventId: string | null;
  permissions: { canRetry: boolean; retryReason: string; canDiscard: boolean; discardReason: string } | null;
  formatTime: (ms: number) => string;
}

const ID_PLACEHOLDER = '<eventId>';

const unreadable = (error: string | null) => (error ? ` (the stats could not be read: ${error})` : '');

function confirmStep(i: RunbookInputs): Pick<RunbookStep, 'live' | 'tone'> {
  if (i.depth === null) {
    return i.statsError
      ? { live: `DLQ depth unknown: the stats could not be read (${i.statsError})`, tone: 'unknown' }
      : { live: 'DLQ depth not read yet', tone: 'unknown' };
  }
  if (i.depth === 0) {
    return { live: 'DLQ depth 0: the DLQ is empty', tone: 'ok' };
  }
  const rate = i.admittedLastHour;
  if (rate === null) {
    return { live: `DLQ depth ${i.depth}; ingress rate unavailable`, tone: 'warning' };
  }
  if (rate === 0) {
    return {
      live: `DLQ depth ${i.depth}, 0 admitted in the last hour: the events are old — not urgent, but triage them (DLQ rows never expire)`,
      tone: 'info',
    };
  }
  return { live: `DLQ depth ${i.depth}, ${rate} admitted in the last hour: events are failing now`, tone: 'warning' };
}

function decideStep(i: RunbookInputs): Pick<RunbookStep, 'live' | 'tone'> {
  const p = i.permissions;
  if (!p) {
    return { live: 'Checking what you and the configured admin token may do…', tone: 'info' };
  }
  if (p.canRetry && p.canDiscard) {
    return { live: 'You can retry and discard from this page', tone: 'ok' };
  }
  if (p.canRetry) {
    return { live: `You can retry from this page; discard is disabled: ${p.discardReason}`, tone: 'info' };
  }
  return { live: `Retry and discard are disabled here: ${p.retryReason}. Use the commands below.`, tone: 'warning' };
}

function watchStep(i: RunbookInputs): Pick<RunbookStep, 'live' | 'tone'> {
  const depth = i.depth === null ? 'DLQ depth unavailable' : `DLQ depth ${i.depth}`;
  if (i.lastRetryAt !== null && i.admittedSinceRetry !== null) {
    const when = i.formatTime(i.lastRetryAt);
    return i.admittedSinceRetry === 0
      ? { live: `${depth}; no new event landed in the DLQ since your retry at ${when}`, tone: 'ok' }
      : {
          live: `${depth}; ${i.admittedSinceRetry} event(s) landed in the DLQ since your retry at ${when}: the fix is incomplete — back to step 4`,
          tone: 'warning',
        };
  }
  if (i.admittedRecently !== null && i.admittedRecently > 0) {
    return {
      live: `${depth}; ${i.admittedRecently} admitted in the last 15 minutes: events are still landing`,
      tone: 'warning',
    };
  }
  if (i.admittedRecently === null || i.depth === null) {
    return { live: `${depth}; admissions in the last 15 minutes unknown${unreadable(i.statsError)}`, tone: 'unknown' };
  }
  return { live: `${depth}; nothing admitted in the last 15 minutes`, tone: i.depth === 0 ? 'ok' : 'info' };
}

export function runbookSteps(i: RunbookInputs): RunbookStep[] {
  const id = i.firstEventId ?? ID_PLACEHOLDER;
  // Nothing is a pass until the list answered: a failed or pending list reads as unknown.
  const listUnknown = i.rowsShown === null;
  const listState = i.eventsError
    ? `Unknown: the DLQ list could not be read (${i.eventsError})`
    : 'Unknown: the list is loading';
  const shown = listUnknown
    ? listState
    : i.rowsShown === 0
      ? `No event ${i.filtered ? 'matches the filters' : 'is in the DLQ'}`
      : `${i.rowsShown} event(s) shown below${i.filtered ? ' (filtered)' : ''}, newest first by default`;
  return [
    {
      key: 'confirm',
      title: 'Confirm the alert',
      text: 'Check the DLQ depth and the ingress rate. Depth > 0 with no ingress means old events.',
      ...confirmStep(i),
      commands: [
        { label: 'kici-admin', text: KICI_ADMIN.count },
        { label: 'PromQL (leader-only gauge)', text: DLQ_PROMQL.depthGauge },
      ],
    },
    {
      key: 'inspect',
      title: 'Inspect the events',
      text: 'Event name, reason, attempts, last error and source routing key usually identify the offending workflow.',
      live: shown,
      tone: listUnknown ? 'unknown' : i.rowsShown ? 'info' : 'ok',
      commands: [{ label: 'kici-admin', text: KICI_ADMIN.list }],
    },
    {
      key: 'logs',
      title: 'Cross-check your logs',
      text: 'Every line tagged with the event id: the retry sequence and the original handler exception.',
      live: i.firstEventId
        ? `LogQL for event ${i.firstEventId} (open an event for its Explore link)`
        : listUnknown
          ? listState
          : 'No event to look up',
      tone: listUnknown ? 'unknown' : 'info',
      commands: [{ label: 'LogQL', text: eventLogql(id) }],
    },
    {
      key: 'fix',
      title: 'Fix the root cause',
      text: 'One event in the DLQ usually means a workflow handler fails consistently (transients are absorbed by the retries). Find the workflow, fix the handler, redeploy.',
      live: i.topEventName
        ? `Most frequent event shown: ${i.topEventName.name} (${i.topEventName.count} of ${i.rowsShown ?? i.topEventName.count})`
        : listUnknown
          ? listState
          : 'No event shown',
      tone: i.topEventName ? 'warning' : listUnknown ? 'unknown' : 'ok',
      commands: [],
    },
    {
      key: 'decide',
      title: 'Decide retry vs discard',
      text: 'Retry once a fix is deployed (clears the DLQ flag, resets attempts, re-notifies). Discard if the event is no longer relevant — it cannot be undone.',
      ...decideStep(i),
      commands: [
        { label: 'retry', text: KICI_ADMIN.retry(id) },
        { label: 'discard', text: KICI_ADMIN.discard(id) },
      ],
    },
    {
      key: 'watch',
      title: 'Watch the depth recover',
      text: 'The depth should drop to 0 within a minute of the last retry. New events landing after the fix mean the fix is incomplete.',
      ...watchStep(i),
      commands: [{ label: 'kici-admin', text: KICI_ADMIN.count }],
    },
  ];
}

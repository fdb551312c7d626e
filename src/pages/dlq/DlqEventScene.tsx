// One DLQ event (drilldown `dlq/:eventId`): payload, full last error, attempts, lease fields, links, Retry / Discard.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { type SceneComponentProps, SceneObjectBase, type SceneObjectState } from '@grafana/scenes';
import {
  Alert,
  Badge,
  ClipboardButton,
  JSONFormatter,
  LinkButton,
  Spinner,
  Stack,
  Text,
  TextLink,
  Tooltip,
  useStyles2,
} from '@grafana/ui';
import React from 'react';

import { reportDatasourceResult } from '../../components/DatasourceProblem';
import { testIds } from '../../components/testIds';
import type { KiciAppSettings } from '../../datasource/query';
import { ConfirmedAction, toast } from './actions';
import { type DlqEventDetail, type DlqPermissions, DlqResources, resourceError } from './api';
import { rowConfirmation } from './confirm';
import { formatTime, nextRetryText } from './data';
import { filtersFromUrl, listParams } from './filters';
import { dlqListUrl, eventLogql, eventTimeWindow, exploreUrl, KICI_ADMIN, logsTraceUrl } from './links';
import { verdictOf } from './verdicts';

export interface DlqEventState extends SceneObjectState {
  datasourceUid: string;
  settings: KiciAppSettings;
  eventId: string;
  loading: boolean;
  event?: DlqEventDetail;
  /** When the event was read (a past next retry is told from a coming one against it). */
  readAt?: number;
  /** Why the event cannot be shown (the backend's sentence: not found, not in the DLQ any more, bad id…). */
  error?: { message: string; status: number };
  permissions?: DlqPermissions;
  permissionsError?: string;
  /** The last action's answer, shown above the event. */
  result?: { action: 'retry' | 'discard'; message: string };
}

export class DlqEventScene extends SceneObjectBase<DlqEventState> {
  static Component = DlqEventRenderer;
  readonly resources: DlqResources;

  constructor(state: { datasourceUid: string; eventId: string; settings?: KiciAppSettings }) {
    super({ ...state, settings: state.settings ?? {}, loading: true });
    this.resources = new DlqResources(state.datasourceUid);
    this.addActivationHandler(() => {
      this.load();
      this.loadPermissions();
    });
  }

  async load() {
    this.setState({ loading: true });
    try {
      const event = await this.resources.event(this.state.eventId);
      this.setState({ event, readAt: Date.now(), error: undefined, loading: false });
      this.report();
    } catch (err) {
      const e = resourceError(err);
      this.setState({ event: undefined, error: { message: e.message, status: e.status }, loading: false });
      // An event no longer in the DLQ is an answer, not a datasource problem.
      this.report(e.status === 404 ? undefined : e.message);
    }
  }

  private report(error?: string) {
    reportDatasourceResult(this, { datasourceUid: this.state.datasourceUid, source: 'GET dlq event', error });
  }

  async loadPermissions() {
    try {
      this.setState({ permissions: await this.resources.permissions(), permissionsError: undefined });
    } catch (err) {
      this.setState({ permissionsError: resourceError(err).message });
    }
  }

  async mutate(action: 'retry' | 'discard') {
    const id = this.state.eventId;
    try {
      const answer = action === 'retry' ? await this.resources.retry(id) : await this.resources.discard(id);
      toast('success', action === 'retry' ? 'Event retried' : 'Event discarded', answer.message);
      this.setState({ result: { action, message: answer.message } });
    } catch (err) {
      toast('error', action === 'retry' ? 'Retry failed' : 'Discard failed', resourceError(err).message);
    }
    // Either way, show the event as it is now (after a success: why it is no longer in the DLQ).
    await this.load();
  }
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.field}>
      <Text color="secondary" variant="bodySmall">
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

const when = (iso: string | null) => (iso ? formatTime(Date.parse(iso)) : '—');

function DlqEventRenderer({ model }: SceneComponentProps<DlqEventScene>) {
  const styles = useStyles2(getStyles);
  const { eventId, event, error, loading, permissions, permissionsError, result, settings, readAt } = model.useState();
  const retry = verdictOf(permissions, permissionsError, 'retry');
  const discard = verdictOf(permissions, permissionsError, 'discard');

  const back = (
    <TextLink
      href={dlqListUrl(
        listParams(filtersFromUrl(Object.fromEntries(new URLSearchParams(locationService.getLocation().search))))
      )}
      icon="arrow-left"
      inline={false}
    >
      Back to the DLQ
    </TextLink>
  );

  if (!event) {
    return (
      <div className={styles.page} data-testid={testIds.dlq.detail}>
        {back}
        {result && (
          <Alert severity="success" title={result.action === 'retry' ? 'Retried' : 'Discarded'}>
            {result.message}
          </Alert>
        )}
        {loading ? (
          <Stack alignItems="center" gap={1} data-testid={testIds.dlq.detailLoading}>
            <Spinner inline />
            <Text color="secondary">Loading DLQ event {eventId} from the orchestrator database…</Text>
          </Stack>
        ) : (
          error && (
            <Alert
              severity={error.status === 404 ? 'info' : 'error'}
              title={error.status === 404 ? 'Not in the DLQ' : 'The event could not be read'}
              data-testid={testIds.dlq.detailError}
            >
              {error.message}
            </Alert>
          )
        )}
      </div>
    );
  }

  const span = eventTimeWindow(event);
  const logql = eventLogql(eventId);
  const lokiUid = settings.lokiDatasourceUid;
  const payloadText = JSON.stringify(event.payload, null, 2);
  const isObject = event.payload !== null && typeof event.payload === 'object';

  return (
    <div className={styles.page} data-testid={testIds.dlq.detail}>
      {back}
      {result && (
        <Alert severity="success" title={result.action === 'retry' ? 'Retried' : 'Discarded'}>
          {result.message}
        </Alert>
      )}
      <Stack alignItems="center" gap={1} wrap="wrap">
        <Text element="h2" variant="h3">
          {event.eventName}
        </Text>
        <code>{event.id}</code>
        <ClipboardButton size="sm" variant="secondary" fill="text" icon="copy" getText={() => event.id}>
          Copy id
        </ClipboardButton>
        {event.dlqReason && <Badge color="red" text={event.dlqReason} />}
      </Stack>

      <Stack gap={1} wrap="wrap">
        <ConfirmedAction
          verdict={retry}
          label="Retry"
          icon="repeat"
          variant="primary"
          testId={testIds.dlq.retry}
          title={`Retry event ${event.id}?`}
          body={`${event.eventName} goes back to the queue: the DLQ flag is cleared, attempts reset to 0 (now ${event.attempts}), and an orchestrator re-dispatches it now. If the cause is not fixed it lands here again.`}
          confirmText="Retry"
          onConfirm={() => model.mutate('retry')}
        />
        <ConfirmedAction
          verdict={discard}
          label="Discard"
          icon="trash-alt"
          variant="destructive"
          testId={testIds.dlq.discard}
          title={`Discard event ${event.id}?`}
          body={`${event.eventName} is deleted from kici_events. This cannot be undone: the event will never be delivered.`}
          confirmText="Discard"
          confirmationText={rowConfirmation('discard', event.id)}
          onConfirm={() => model.mutate('discard')}
        />
        <LinkButton
          variant="secondary"
          icon="document-info"
          href={logsTraceUrl({ eventId: event.id }, span)}
          data-testid={testIds.dlq.logsTraceLink}
        >
          Logs trace of this event
        </LinkButton>
        {event.sourceRunId ? (
          <LinkButton
            variant="secondary"
            icon="history"
            href={logsTraceUrl({ runId: event.sourceRunId }, span)}
            data-testid={testIds.dlq.runTraceLink}
          >
            Trace of source run {event.sourceRunId}
          </LinkButton>
        ) : (
          <Tooltip content="The event has no source run (source_run_id is empty)">
            <span tabIndex={0}>
              <LinkButton variant="secondary" icon="history" disabled data-testid={testIds.dlq.runTraceLink}>
                Trace of the source run
              </LinkButton>
            </span>
          </Tooltip>
        )}
        {lokiUid ? (
          <LinkButton
            variant="secondary"
            icon="compass"
            href={exploreUrl({ type: 'loki', uid: lokiUid }, logql, span)}
            data-testid={testIds.dlq.exploreLink}
          >
            Explore logs
          </LinkButton>
        ) : (
          <Tooltip content="Choose a Loki datasource on the app configuration page to open Explore">
            <span tabIndex={0}>
              <LinkButton variant="secondary" icon="compass" disabled data-testid={testIds.dlq.exploreLink}>
                Explore logs
              </LinkButton>
            </span>
          </Tooltip>
        )}
      </Stack>

      <div className={styles.grid}>
        <Field label="Attempts">{event.attempts}</Field>
        <Field label="In DLQ since">{when(event.dlqAt)}</Field>
        <Field label="Created">{when(event.createdAt)}</Field>
        <Field label="Expires (TTL; DLQ rows are kept)">{when(event.expiresAt)}</Field>
        <Field label="Routing key">{event.sourceRoutingKey ?? '—'}</Field>
        <Field label="Repository">{event.sourceRepo ?? '—'}</Field>
        <Field label="Source run">{event.sourceRunId ?? '—'}</Field>
        <Field label="Source job">{event.sourceJobId ?? '—'}</Field>
        <Field label="Chain depth">{event.chainDepth}</Field>
        <Field label="Target repositories">
          {Array.isArray(event.targetRepos) && event.targetRepos.length ? event.targetRepos.join(', ') : '—'}
        </Field>
        <Field label="Lease (claimed by / at)">
          {event.claimedBy ? `${event.claimedBy} at ${when(event.claimedAt)}` : 'not leased'}
        </Field>
        <Field label="Next retry">{nextRetryText(event, readAt ?? 0, formatTime)}</Field>
      </div>

      <section>
        <Stack alignItems="center" gap={1}>
          <Text element="h3" variant="h4">
            Last error
          </Text>
          {event.lastError && (
            <ClipboardButton
              size="sm"
              variant="secondary"
              fill="text"
              icon="copy"
              getText={() => event.lastError ?? ''}
            >
              Copy
            </ClipboardButton>
          )}
        </Stack>
        {event.lastErrorTruncatedByKici && (
          <Text color="secondary" variant="bodySmall">
            KiCI stored only the first 4096 characters of this error; the full exception is in the logs.
          </Text>
        )}
        <pre className={styles.pre} data-testid={testIds.dlq.lastError}>
          {event.lastError ?? '(no error recorded)'}
        </pre>
      </section>

      <section>
        <Stack alignItems="center" gap={1}>
          <Text element="h3" variant="h4">
            Payload
          </Text>
          <ClipboardButton size="sm" variant="secondary" fill="text" icon="copy" getText={() => payloadText}>
            Copy JSON
          </ClipboardButton>
        </Stack>
        <div className={styles.pre} data-testid={testIds.dlq.payload}>
          {isObject ? <JSONFormatter json={event.payload as object} open={3} /> : <code>{payloadText}</code>}
        </div>
      </section>

      <section>
        <Text element="h3" variant="h4">
          From a shell
        </Text>
        {[KICI_ADMIN.retry(event.id), KICI_ADMIN.discard(event.id), logql].map((cmd) => (
          <Stack key={cmd} alignItems="center" gap={1}>
            <code className={styles.code}>{cmd}</code>
            <ClipboardButton size="sm" variant="secondary" fill="text" icon="copy" getText={() => cmd}>
              Copy
            </ClipboardButton>
          </Stack>
        ))}
      </section>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: theme.spacing(1.5),
  }),
  field: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25), wordBreak: 'break-word' }),
  pre: css({
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    maxHeight: 480,
    overflow: 'auto',
  }),
  code: css({ fontSize: theme.typography.bodySmall.fontSize, wordBreak: 'break-all' }),
});

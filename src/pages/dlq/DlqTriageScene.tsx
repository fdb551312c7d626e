// The DLQ list page: stats, URL-synced filters, the paged table with its actions, bulk retry, the runbook.
import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
  SceneQueryRunner,
  SceneTimePicker,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import { Alert, Spinner, Text, useStyles2 } from '@grafana/ui';
import React from 'react';

import { useReturnFocus } from '../../components/focus';
import { testIds } from '../../components/testIds';
import type { KiciAppSettings } from '../../datasource/query';
import { toast } from './actions';
import { type DlqPermissions, DlqResources, type DlqVerdict, resourceError } from './api';
import {
  admissions,
  dlqRows,
  type DlqRow,
  firstNumber,
  formatTime,
  frameByRefId,
  nextCursorOf,
  queryError,
  signatureTextOf,
  topEventName,
} from './data';
import { type BulkState, BulkRetryModal, DlqPager, RowActionModal } from './DlqEventsParts';
import { DlqEventsTable } from './DlqEventsTable';
import { DlqFilterBar } from './DlqFilterBar';
import { DlqRunbook } from './DlqRunbook';
import { DlqStatsScene } from './DlqStatsScene';
import {
  bulkRetryBody,
  DEFAULT_FILTERS,
  describeFilters,
  dlqEventsQuery,
  DLQ_URL_KEYS,
  type DlqFilters,
  filtersFromUrl,
  filtersToUrl,
  hasTextFilters,
  PAGE_SIZE,
  redriveTarget,
  sameFilters,
} from './filters';
import { dlqEventUrl } from './links';
import { DEFAULT_RATE, parseRate } from './redrive/model';
import { RedriveScene } from './redrive/RedriveScene';
import { runbookSteps, type RunbookStep } from './runbook';
import { type DlqAction, verdictOf } from './verdicts';

// ---------------------------------------------------------------------------------------------------------------------

interface DlqEventsState extends SceneObjectState {
  filters: DlqFilters;
  pageSize: number;
  /** Cursors of the pages after the first, in order; the last one is the page shown. */
  cursors: string[];
  $data: SceneQueryRunner;
  bulk?: BulkState;
  /** The page's time picker, rendered beside "Only within a time range". */
  timePicker: SceneTimePicker;
  /** A row action waiting for confirmation, then running. */
  asked?: { action: DlqAction; row: DlqRow; running: boolean };
}

export class DlqEventsScene extends SceneObjectBase<DlqEventsState> {
  static Component = DlqEventsRenderer;
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: [...DLQ_URL_KEYS] });

  constructor(datasource: DataSourceRef, filters: DlqFilters = DEFAULT_FILTERS, pageSize = PAGE_SIZE) {
    super({
      filters,
      pageSize,
      cursors: [],
      timePicker: new SceneTimePicker({ isOnCanvas: true }),
      $data: new SceneQueryRunner({ datasource, queries: [dlqEventsQuery(filters, undefined, pageSize)] }),
    });
  }

  getUrlState(): SceneObjectUrlValues {
    return filtersToUrl(this.state.filters);
  }

  /** Only changed keys arrive; `?eventId=` (dashboard links) opens that event. */
  updateFromUrl(values: SceneObjectUrlValues) {
    const eventId = values.eventId;
    if (typeof eventId === 'string' && eventId !== '') {
      locationService.replace(dlqEventUrl(eventId));
      return;
    }
    const next = filtersFromUrl({ ...filtersToUrl(this.state.filters), ...values });
    if (!sameFilters(next, this.state.filters)) {
      this.setFilters(next);
    }
  }

  setFilters(filters: DlqFilters) {
    if (sameFilters(filters, this.state.filters)) {
      return;
    }
    this.setState({ filters, cursors: [] });
    this.runPage();
  }

  nextPage() {
    const cursor = nextCursorOf(this.state.$data.state.data?.series[0]);
    if (cursor) {
      this.setState({ cursors: [...this.state.cursors, cursor] });
      this.runPage();
    }
  }

  previousPage() {
    if (this.state.cursors.length > 0) {
      this.setState({ cursors: this.state.cursors.slice(0, -1) });
      this.runPage();
    }
  }

  refresh() {
    this.state.$data.runQueries();
  }

  private runPage() {
    const { filters, cursors, pageSize } = this.state;
    this.state.$data.setState({ queries: [dlqEventsQuery(filters, cursors.at(-1), pageSize)] });
    this.state.$data.runQueries();
  }

  private get triage(): DlqTriageScene {
    return sceneGraph.getAncestor(this, DlqTriageScene);
  }

  /** Counts what a bulk retry would take (dry run), then asks. */
  async startBulkRetry() {
    const range = sceneGraph.getTimeRange(this).state.value;
    const body = bulkRetryBody(this.state.filters, { from: range.from.valueOf(), to: range.to.valueOf() }, true);
    const description = describeFilters(this.state.filters, signatureTextOf(this.state.$data.state.data?.series[0]));
    this.setState({ bulk: { phase: 'counting', description } });
    try {
      const dryRun = await this.triage.resources.bulkRetryDryRun(body);
      if (dryRun.count === 0) {
        this.setState({ bulk: undefined });
        toast('warning', 'Nothing to retry', `No DLQ event matches ${description}.`);
        return;
      }
      this.setState({
        bulk: { phase: 'confirm', dryRun, description, filter: body.filter, rateText: String(DEFAULT_RATE) },
      });
    } catch (err) {
      this.setState({ bulk: undefined });
      toast('error', 'Bulk retry not started', resourceError(err).message);
    }
  }

  cancelBulkRetry() {
    if (this.state.bulk?.phase !== 'running') {
      this.setState({ bulk: undefined });
    }
  }

  setBulkRate(rateText: string) {
    if (this.state.bulk?.phase === 'confirm') {
      this.setState({ bulk: { ...this.state.bulk, rateText } });
    }
  }

  /** Starts a redrive of what the confirmation counted, at the typed rate; the redrive panel shows its progress. */
  async confirmBulkRetry() {
    const bulk = this.state.bulk;
    const parsed = parseRate(bulk?.rateText ?? '');
    if (!bulk?.dryRun || !bulk.filter || 'error' in parsed) {
      return;
    }
    this.setState({ bulk: { ...bulk, phase: 'running' } });
    try {
      const target = redriveTarget(bulk.filter);
      await this.triage.state.redrive.start({ ...target, rate: parsed.rate, description: bulk.description });
    } finally {
      this.setState({ bulk: undefined });
    }
  }

  ask(action: DlqAction, row: DlqRow) {
    if (!this.state.asked?.running) {
      this.setState({ asked: { action, row, running: false } });
    }
  }

  cancelAsked() {
    if (!this.state.asked?.running) {
      this.setState({ asked: undefined });
    }
  }

  /** Runs the confirmed row action (the toast says how it went). */
  async confirmAsked() {
    const asked = this.state.asked;
    if (!asked || asked.running) {
      return;
    }
    this.setState({ asked: { ...asked, running: true } });
    try {
      await this.triage.mutate(asked.action, asked.row.id);
    } finally {
      this.setState({ asked: undefined });
    }
  }
}

function DlqEventsRenderer({ model }: SceneComponentProps<DlqEventsScene>) {
  const styles = useStyles2(getStyles);
  const { filters, cursors, bulk, asked, timePicker } = model.useState();
  const triage = sceneGraph.getAncestor(model, DlqTriageScene);
  const { permissions, permissionsError } = triage.useState();
  const { data } = model.state.$data.useState();
  const statsData = triage.state.stats.state.$data.useState().data;
  const frame = data?.series[0];
  const rows = React.useMemo(() => dlqRows(frame), [frame]);
  const loading = data?.state === LoadingState.Loading;
  const error = queryError(data) ?? undefined;
  const notices = frame?.meta?.notices ?? [];
  const signatureText = signatureTextOf(frame);
  // Stable verdicts and callbacks: the table's columns are memoized on them.
  const retry = React.useMemo(() => verdictOf(permissions, permissionsError, 'retry'), [permissions, permissionsError]);
  const discard = React.useMemo(
    () => verdictOf(permissions, permissionsError, 'discard'),
    [permissions, permissionsError]
  );
  const remember = useReturnFocus(asked !== undefined || bulk !== undefined);
  const onAsk = React.useCallback(
    (action: DlqAction, row: DlqRow) => {
      // The row may be gone after the action: then the list itself takes focus.
      remember(`${action}:${row.id}`, '#dlq-events');
      model.ask(action, row);
    },
    [model, remember]
  );
  const filtered = hasTextFilters(filters) || filters.inRange;
  const depth = queryError(statsData) ? null : firstNumber(frameByRefId(statsData?.series, 'depth'), 'depth');
  const hasNext = Boolean(nextCursorOf(frame));
  const page = cursors.length + 1;
  const total = !filtered ? depth : hasNext ? null : (page - 1) * model.state.pageSize + rows.length;
  const onSort = React.useCallback((f: DlqFilters) => model.setFilters(f), [model]);
  const bulkVerdict: DlqVerdict =
    retry.allowed && rows.length === 0 ? { allowed: false, reason: 'No event is listed.' } : retry;

  return (
    <div className={styles.section}>
      <DlqFilterBar
        filters={filters}
        onChange={(f) => model.setFilters(f)}
        bulkVerdict={bulkVerdict}
        bulkBusy={bulk?.phase === 'counting'}
        timePicker={<timePicker.Component model={timePicker} />}
        signatureText={signatureText}
        onBulkRetry={() => {
          remember('bulk-retry', '#dlq-events');
          model.startBulkRetry();
        }}
      />
      {!retry.allowed && !discard.allowed && permissions && (
        <Alert severity="info" title="Retry and Discard are disabled" data-testid={testIds.dlq.actionsDisabled}>
          {retry.reason}
        </Alert>
      )}
      {notices.map((n, i) => (
        <Alert
          key={i}
          severity={n.severity === 'error' ? 'error' : n.severity === 'warning' ? 'warning' : 'info'}
          title=""
        >
          {n.text}
        </Alert>
      ))}
      {error ? (
        <Alert severity="error" title="The DLQ could not be read" data-testid={testIds.dlq.error}>
          {error}
        </Alert>
      ) : !frame && loading ? (
        <Spinner />
      ) : rows.length === 0 && frame ? (
        <div data-testid={testIds.dlq.empty} className={styles.empty}>
          <Text color="secondary">
            {hasTextFilters(filters) || filters.inRange
              ? `No DLQ event matches ${describeFilters(filters, signatureText)}.`
              : 'The DLQ is empty: every event was delivered or is still being retried.'}
          </Text>
        </div>
      ) : (
        <DlqEventsTable rows={rows} filters={filters} onSort={onSort} retry={retry} discard={discard} onAsk={onAsk} />
      )}
      <DlqPager
        page={page}
        pageSize={model.state.pageSize}
        rowsShown={rows.length}
        total={total}
        filtered={filtered}
        failed={Boolean(error)}
        reloading={loading && Boolean(frame)}
        hasPrevious={cursors.length > 0}
        hasNext={hasNext}
        onPrevious={() => model.previousPage()}
        onNext={() => model.nextPage()}
      />
      <RowActionModal
        asked={asked}
        onConfirm={() => {
          // Done, the event leaves the DLQ (and the list): focus goes to the list, not to its vanishing row.
          remember('dlq-events', '#dlq-events');
          return model.confirmAsked();
        }}
        onDismiss={() => model.cancelAsked()}
      />
      <BulkRetryModal
        bulk={bulk}
        filtered={filtered}
        onRateText={(t) => model.setBulkRate(t)}
        onConfirm={() => model.confirmBulkRetry()}
        onDismiss={() => model.cancelBulkRetry()}
      />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------------

export interface DlqTriageState extends SceneObjectState {
  datasource: DataSourceRef;
  settings: KiciAppSettings;
  stats: DlqStatsScene;
  events: DlqEventsScene;
  redrive: RedriveScene;
  permissions?: DlqPermissions;
  permissionsError?: string;
  /** When this page last retried an event (the runbook's step 6 counts admissions since). */
  lastRetryAt: number | null;
}

export class DlqTriageScene extends SceneObjectBase<DlqTriageState> {
  static Component = DlqTriageRenderer;
  readonly resources: DlqResources;
  private activations = 0;

  constructor(state: {
    datasource: DataSourceRef;
    settings?: KiciAppSettings;
    filters?: DlqFilters;
    pageSize?: number;
  }) {
    const settings = state.settings ?? {};
    super({
      datasource: state.datasource,
      settings,
      stats: new DlqStatsScene(state.datasource, settings.prometheusDatasourceUid),
      events: new DlqEventsScene(state.datasource, state.filters, state.pageSize),
      redrive: new RedriveScene(state.datasource.uid ?? ''),
      lastRetryAt: null,
    });
    this.state.redrive.onFinished = () => this.mutated('retry');
    this.resources = new DlqResources(state.datasource.uid ?? '');
    this.addActivationHandler(() => {
      // Back from an event's page (cached scene): the list may have changed there.
      if (this.activations++ > 0) {
        this.state.events.refresh();
        this.state.stats.refresh();
      }
      this.loadPermissions();
    });
  }

  async loadPermissions() {
    try {
      const permissions = await this.resources.permissions();
      this.setState({ permissions, permissionsError: undefined });
      this.state.redrive.setState({ role: permissions.user?.role });
    } catch (err) {
      this.setState({ permissions: undefined, permissionsError: resourceError(err).message });
    }
  }

  /** Retry or discard one event, with the toast; the list and stats refresh after a success. */
  async mutate(action: DlqAction, id: string): Promise<boolean> {
    try {
      const answer = action === 'retry' ? await this.resources.retry(id) : await this.resources.discard(id);
      toast('success', action === 'retry' ? 'Event retried' : 'Event discarded', answer.message);
      this.mutated(action);
      return true;
    } catch (err) {
      toast('error', action === 'retry' ? 'Retry failed' : 'Discard failed', resourceError(err).message);
      // A 404 means someone else already took it out of the DLQ: show the list as it is now.
      this.state.events.refresh();
      return false;
    }
  }

  mutated(action: DlqAction) {
    if (action === 'retry') {
      this.setState({ lastRetryAt: Date.now() });
    }
    this.state.events.refresh();
    this.state.stats.refresh();
  }

  runbook(): RunbookStep[] {
    const statsData = this.state.stats.state.$data.state.data;
    const stats = statsData?.series;
    const now = statsData?.timeRange.to.valueOf() ?? Date.now();
    const depthFrame = frameByRefId(stats, 'depth');
    const depthField = depthFrame?.fields.find((f) => f.name === 'depth');
    const depth = depthField && !queryError(statsData) ? Number(depthField.values[0]) : null;
    const { lastRetryAt, permissions, permissionsError } = this.state;
    const adm = admissions(frameByRefId(stats, 'admissions'), now, lastRetryAt ?? now - 15 * 60_000);
    const eventsData = this.state.events.state.$data.state.data;
    const eventsError = queryError(eventsData);
    const statsError = queryError(statsData);
    const rows = eventsData?.series[0] && !eventsError ? dlqRows(eventsData.series[0]) : null;
    const filters = this.state.events.state.filters;
    const retry = verdictOf(permissions, permissionsError, 'retry');
    const discard = verdictOf(permissions, permissionsError, 'discard');
    return runbookSteps({
      depth: Number.isFinite(depth) ? depth : null,
      admittedLastHour: adm?.lastHour ?? null,
      admittedSinceRetry: lastRetryAt !== null ? (adm?.since ?? null) : null,
      lastRetryAt,
      admittedRecently: lastRetryAt === null ? (adm?.since ?? null) : null,
      rowsShown: rows ? rows.length : null,
      eventsError,
      statsError,
      filtered: hasTextFilters(filters) || filters.inRange,
      topEventName: rows ? topEventName(rows) : null,
      firstEventId: rows?.[0]?.id ?? null,
      permissions:
        permissions || permissionsError
          ? {
              canRetry: retry.allowed,
              retryReason: retry.reason,
              canDiscard: discard.allowed,
              discardReason: discard.reason,
            }
          : null,
      formatTime,
    });
  }
}

function DlqTriageRenderer({ model }: SceneComponentProps<DlqTriageScene>) {
  const styles = useStyles2(getStyles);
  const { stats, events, redrive, permissionsError } = model.useState();
  return (
    <div className={styles.page} data-testid={testIds.dlq.page}>
      <stats.Component model={stats} />
      <redrive.Component model={redrive} />
      {permissionsError && (
        <Alert severity="warning" title="Could not check DLQ permissions">
          {permissionsError}
        </Alert>
      )}
      <events.Component model={events} />
      <TriageRunbook model={model} />
    </div>
  );
}

/** Re-renders when any input of the runbook changes. */
function TriageRunbook({ model }: { model: DlqTriageScene }) {
  const { stats, events } = model.useState();
  stats.state.$data.useState();
  events.state.$data.useState();
  events.useState();
  return <DlqRunbook steps={model.runbook()} />;
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  empty: css({ padding: theme.spacing(2), border: `1px dashed ${theme.colors.border.weak}` }),
});

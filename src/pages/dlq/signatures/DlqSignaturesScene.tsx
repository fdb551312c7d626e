// The DLQ's error signatures: one row per reason the events failed (count, first/last admission, event names,
// routing keys, admissions over the time range), its events on demand; "Retry all" starts the page's paced redrive of
// the signature's events (its panel shows here), "Discard all" discards them after a typed confirmation, with the
// outcome of each event.
import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState } from '@grafana/data';
import { getBackendSrv, locationService } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  SceneQueryRunner,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import { Alert, Button, ConfirmModal, LinkButton, Spinner, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import React from 'react';
import { lastValueFrom } from 'rxjs';

import { pageTimeZone, TimeText } from '../../../components/time';
import { GuardedButton, toast } from '../actions';
import { type DlqPermissions, DlqResources, resourceError } from '../api';
import { dlqEventUrl, dlqListUrl } from '../links';
import { DEFAULT_RATE, parseRate } from '../redrive/model';
import { RedriveConfirmBody } from '../redrive/RedriveConfirmBody';
import { RedrivePanel, type RedriveScene } from '../redrive/RedriveScene';
import { verdictOf } from '../verdicts';
import { TypedConfirmModal } from '../TypedConfirmModal';
import {
  discardAll,
  discardConfirmText,
  type EventOutcome,
  signatureRows,
  type SignatureRow,
  signaturesQuery,
  sparklinePoints,
} from './model';
import { SIGNATURE_TEST_IDS } from './testIds';

interface Selected {
  id: string;
  signature: string;
  /** The newest event's full error. */
  sample: string;
  loading: boolean;
  error?: string;
  count?: number;
  ids?: string[];
  events?: Array<{ id: string; eventName: string; routingKey: string | null; dlqAt: string }>;
}

interface SignaturesState extends SceneObjectState {
  datasource: DataSourceRef;
  $data: SceneQueryRunner;
  permissions?: DlqPermissions;
  permissionsError?: string;
  selected?: Selected;
  /** The discard of every event of the selected signature, asked or running. */
  asked?: { running: boolean; done: number };
  /** "Retry all": the rate dialog of a redrive of the selected signature. */
  redriveAsked?: { rateText: string; starting: boolean };
  results?: { signature: string; outcomes: EventOutcome[] };
}

export class DlqSignaturesScene extends SceneObjectBase<SignaturesState> {
  static Component = SignaturesRenderer;
  readonly resources: DlqResources;
  /** The page's redrive (the triage list's): a signature's retry starts it, and its panel then shows here. */
  readonly redrive: RedriveScene;

  /** Tells the rest of the page (the triage list and its stats) that events left the DLQ. */
  private readonly onDiscarded: () => void;

  constructor(state: { datasource: DataSourceRef; redrive: RedriveScene; onDiscarded: () => void }) {
    super({
      datasource: state.datasource,
      $data: new SceneQueryRunner({ datasource: state.datasource, queries: [signaturesQuery()] }),
    });
    this.resources = new DlqResources(state.datasource.uid ?? '');
    this.redrive = state.redrive;
    this.onDiscarded = state.onDiscarded;
    this.redrive.signaturesShowTheirOwn = true;
    const finished = this.redrive.onFinished;
    this.redrive.onFinished = () => {
      finished?.();
      this.state.$data.runQueries();
    };
    this.addActivationHandler(() => {
      this.resources
        .permissions()
        .then((permissions) => this.setState({ permissions, permissionsError: undefined }))
        .catch((err) => this.setState({ permissionsError: resourceError(err).message }));
    });
  }

  /** The events of one signature now (the list filtered by it): ids for the bulk actions, the newest 100 listed. */
  async select(row: Pick<SignatureRow, 'id' | 'signature' | 'sampleError'>) {
    this.setState({
      selected: { id: row.id, signature: row.signature, sample: row.sampleError, loading: true },
      results: undefined,
    });
    try {
      const uid = encodeURIComponent(this.state.datasource.uid ?? '');
      const url = `/api/datasources/uid/${uid}/resources/dlq/signatures/${encodeURIComponent(row.id)}/events`;
      const res = await lastValueFrom(
        getBackendSrv().fetch<Required<Pick<Selected, 'count' | 'ids' | 'events'>>>({
          url,
          method: 'GET',
          showErrorAlert: false,
        })
      );
      this.setState({
        selected: { id: row.id, signature: row.signature, sample: row.sampleError, loading: false, ...res.data },
      });
    } catch (err) {
      this.setState({
        selected: {
          id: row.id,
          signature: row.signature,
          sample: row.sampleError,
          loading: false,
          error: resourceError(err).message,
        },
      });
    }
  }

  /**
   * The triage list above, filtered to exactly this signature's events (its other filters cleared), through the URL:
   * the filter survives a reload and the address can be shared.
   */
  showInList(id: string) {
    locationService.push(dlqListUrl({ signature: id }));
    document.getElementById('dlq-events')?.scrollIntoView?.({ block: 'start' });
  }

  askRedrive() {
    this.setState({ redriveAsked: { rateText: String(DEFAULT_RATE), starting: false } });
  }

  askDiscard() {
    this.setState({ asked: { running: false, done: 0 } });
  }

  setRate(rateText: string) {
    if (this.state.redriveAsked) {
      this.setState({ redriveAsked: { ...this.state.redriveAsked, rateText } });
    }
  }

  /** Starts a redrive of the selected signature's events at the typed rate (the backend resolves them at start). */
  async confirmRedrive() {
    const { redriveAsked, selected } = this.state;
    const parsed = parseRate(redriveAsked?.rateText ?? '');
    if (!redriveAsked || !selected || 'error' in parsed) {
      return;
    }
    this.setState({ redriveAsked: { ...redriveAsked, starting: true } });
    const started = await this.redrive.start({
      filter: {},
      signatureId: selected.id,
      rate: parsed.rate,
      description: `the error signature “${selected.signature}”`,
    });
    this.setState({ redriveAsked: undefined, ...(started ? { selected: undefined, results: undefined } : {}) });
  }

  cancel() {
    this.setState({ asked: undefined, redriveAsked: undefined });
  }

  async confirm() {
    const { asked, selected } = this.state;
    if (!asked || !selected?.ids) {
      return;
    }
    this.setState({ asked: { ...asked, running: true } });
    const outcomes = await discardAll(this.resources, selected.ids, (done) =>
      this.setState({ asked: { running: true, done } })
    );
    const ok = outcomes.filter((o) => o.ok).length;
    toast(ok === outcomes.length ? 'success' : 'error', `Discarded ${ok} of ${outcomes.length} events`);
    this.setState({
      asked: undefined,
      results: { signature: selected.signature, outcomes },
      selected: undefined,
    });
    this.state.$data.runQueries();
    this.onDiscarded();
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  // A grid, not a <table>: the triage list above is the page's one table of rows.
  grid: css({
    display: 'grid',
    // minmax(0, …): long event names and routing keys wrap instead of widening the page (1024 px, issue 17).
    gridTemplateColumns: 'minmax(160px, 3fr) 56px 150px minmax(0, 1fr) minmax(0, 1fr) 100px auto',
    overflowWrap: 'anywhere',
    '> div': { padding: theme.spacing(0.5, 1), borderTop: `1px solid ${theme.colors.border.weak}` },
    '> div > div': { padding: theme.spacing(0.5, 1), borderTop: `1px solid ${theme.colors.border.weak}` },
  }),
  head: css({ fontWeight: theme.typography.fontWeightMedium }),
  signature: css({ fontFamily: theme.typography.fontFamilyMonospace, wordBreak: 'break-word' }),
  sample: css({ fontFamily: theme.typography.fontFamilyMonospace, whiteSpace: 'pre-wrap', margin: 0 }),
  row: css({ display: 'contents' }),
});

function Sparkline({ counts }: { counts: number[] }) {
  return (
    <svg width={96} height={20} data-testid={SIGNATURE_TEST_IDS.sparkline} data-counts={counts.join(',')}>
      <polyline points={sparklinePoints(counts, 96, 18)} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}

function SignaturesRenderer({ model }: SceneComponentProps<DlqSignaturesScene>) {
  const styles = useStyles2(getStyles);
  const { permissions, permissionsError, selected, asked, results, redriveAsked } = model.useState();
  const { view: redriveView } = model.redrive.useState();
  const { data } = sceneGraph.getData(model).useState();
  const rows = signatureRows(data?.series.find((f) => f.refId === signaturesQuery().refId) ?? data?.series[0]);
  const retry = verdictOf(permissions, permissionsError, 'retry');
  const discard = verdictOf(permissions, permissionsError, 'discard');
  const tz = pageTimeZone(model);
  return (
    <div data-testid={SIGNATURE_TEST_IDS.view}>
      <Stack direction="column" gap={1}>
        <Text element="h2">Error signatures</Text>
        <Text color="secondary">
          DLQ events grouped by their last error with ids, numbers, hosts, timestamps and quoted values normalised away;
          admissions over the time range.
        </Text>
        {redriveView?.signatureId && <RedrivePanel model={model.redrive} />}
        {data?.state === LoadingState.Loading && rows.length === 0 && <Spinner />}
        {data?.errors?.[0] && <Alert severity="error" title={data.errors[0].message ?? 'signatures failed'} />}
        <div className={styles.grid}>
          {['Signature', 'Events', 'First / last admission', 'Event names', 'Routing keys', 'In range', ''].map((h) => (
            <div key={h} className={styles.head}>
              {h}
            </div>
          ))}
          {rows.map((r) => (
            <div key={r.id} className={styles.row} data-testid={SIGNATURE_TEST_IDS.row} data-signature={r.signature}>
              <div className={styles.signature} title={r.sampleError}>
                {r.signature}
              </div>
              <div data-field="count">{r.count}</div>
              <div>
                <TimeText ms={r.firstAt} tz={tz} />
                <br />
                <TimeText ms={r.lastAt} tz={tz} />
              </div>
              <div data-field="eventNames">{r.eventNames}</div>
              <div data-field="routingKeys">{r.routingKeys || '—'}</div>
              <div>
                <Sparkline counts={r.admissions} />
              </div>
              <div>
                <Button size="sm" variant="secondary" onClick={() => model.select(r)}>
                  Show events
                </Button>
              </div>
            </div>
          ))}
        </div>
        {selected && (
          <div data-testid={SIGNATURE_TEST_IDS.events} data-signature={selected.signature}>
            <Stack direction="column" gap={1}>
              <Text element="h3">
                {selected.loading ? 'Events of' : `${selected.count ?? 0} events of`} “{selected.signature}”
              </Text>
              <pre className={styles.sample}>{selected.sample}</pre>
              {selected.error && <Alert severity="error" title={selected.error} />}
              {selected.events && (
                <>
                  <Stack gap={1}>
                    <GuardedButton verdict={retry} size="sm" onClick={() => model.askRedrive()}>
                      Retry all {selected.count}
                    </GuardedButton>
                    <GuardedButton verdict={discard} size="sm" variant="destructive" onClick={() => model.askDiscard()}>
                      Discard all {selected.count}
                    </GuardedButton>
                    <LinkButton
                      size="sm"
                      variant="secondary"
                      icon="filter"
                      href={dlqListUrl({ signature: selected.id })}
                      data-testid={SIGNATURE_TEST_IDS.showInList}
                      onClick={(e) => {
                        e.preventDefault();
                        model.showInList(selected.id);
                      }}
                    >
                      Show in the event list
                    </LinkButton>
                    <Button
                      size="sm"
                      variant="secondary"
                      fill="text"
                      onClick={() => model.setState({ selected: undefined })}
                    >
                      Close
                    </Button>
                  </Stack>
                  <ul>
                    {selected.events.map((e) => (
                      <li key={e.id} data-testid={SIGNATURE_TEST_IDS.event} data-id={e.id}>
                        <TextLink href={dlqEventUrl(e.id)} inline>
                          {e.id}
                        </TextLink>{' '}
                        {e.eventName} {e.routingKey ?? ''} <TimeText ms={Date.parse(e.dlqAt)} tz={tz} />
                      </li>
                    ))}
                  </ul>
                  {(selected.count ?? 0) > selected.events.length && (
                    <Text color="secondary">
                      Newest {selected.events.length} listed; the actions cover all {selected.count}.
                    </Text>
                  )}
                </>
              )}
            </Stack>
          </div>
        )}
        {results && (
          <div data-testid={SIGNATURE_TEST_IDS.results}>
            <Text element="h3">
              Discard of “{results.signature}”: {results.outcomes.filter((o) => o.ok).length} of{' '}
              {results.outcomes.length} succeeded
            </Text>
            <ul>
              {results.outcomes.map((o) => (
                <li key={o.id} data-testid={SIGNATURE_TEST_IDS.result} data-id={o.id} data-outcome={o.outcome}>
                  {o.id}: {o.outcome} — {o.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Stack>
      {redriveAsked && selected && (
        <ConfirmModal
          isOpen
          title={`Retry the ${selected.count ?? 0} event(s) of this signature at a controlled rate?`}
          body={
            <RedriveConfirmBody
              count={selected.count ?? 0}
              description={`the error signature “${selected.signature}”`}
              rateText={redriveAsked.rateText}
              onRateText={(t) => model.setRate(t)}
              starting={redriveAsked.starting}
            />
          }
          confirmText={redriveAsked.starting ? 'Starting…' : `Retry ${selected.count ?? 0}`}
          disabled={redriveAsked.starting || 'error' in parseRate(redriveAsked.rateText)}
          onConfirm={() => model.confirmRedrive()}
          onDismiss={() => model.cancel()}
        />
      )}
      {asked && selected?.ids && (
        <TypedConfirmModal
          isOpen
          title="Discard every event of this signature"
          body={discardConfirmText(selected.ids.length, selected.signature)}
          confirmationText={String(selected.ids.length)}
          confirmText={
            asked.running ? `Discarding… ${asked.done}/${selected.ids.length}` : `Discard ${selected.ids.length} events`
          }
          confirmButtonVariant="destructive"
          disabled={asked.running}
          onConfirm={() => model.confirm()}
          onDismiss={() => model.cancel()}
        />
      )}
    </div>
  );
}

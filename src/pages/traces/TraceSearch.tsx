// The Traces page's one scene object: the search box (URL-synced as `id` and `kind`), the Loki query runner, and the
// matching lines across tiers in time order, grouped by tier on demand, error lines marked.
import { css, cx } from '@emotion/css';
import { getTimeZone, type GrafanaTheme2, LoadingState } from '@grafana/data';
import {
  sceneGraph,
  type SceneComponentProps,
  SceneObjectBase,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
  SceneQueryRunner,
} from '@grafana/scenes';
import {
  Alert,
  Badge,
  type BadgeColor,
  Button,
  ClipboardButton,
  Icon,
  Input,
  LinkButton,
  RadioButtonGroup,
  Stack,
  Text,
  Tooltip,
  useStyles2,
} from '@grafana/ui';
import React, { useState } from 'react';

import { testIds } from '../../components/testIds';
import { formatExact, zoneLabel } from '../../components/time';
import { dashboardVariables, exploreUrl, logsTraceDashboardUrl, urlTimeRange } from './links';
import {
  groupByTier,
  isErrorLine,
  type LineTier,
  matchedKinds,
  relatedIds,
  type TraceLine,
  traceLinesFromFrames,
} from './traceLines';
import {
  canonicalSearch,
  ID_HELP,
  ID_KIND_LABELS,
  ID_KINDS,
  lokiTraceQuery,
  parseTraceInput,
  type SearchKind,
  TRACE_MAX_LINES,
  type TraceId,
} from './traceQuery';

export type TraceView = 'timeline' | 'tiers';

export interface TraceSearchState extends SceneObjectState {
  lokiUid: string;
  lokiName: string;
  /** What is in the search box (typed or pasted, not searched yet). */
  input: string;
  /** The last search as canonical text (the URL's `id`); empty before the first one. */
  query: string;
  /** The kind picked for a bare id (the URL's `kind`); `any` matches every id field. */
  kind: SearchKind;
  /** The ids of the last search; empty before the first one. */
  ids: TraceId[];
  problem?: string;
  view: TraceView;
  $data: SceneQueryRunner;
}

const KINDS: SearchKind[] = ['any', ...ID_KINDS];

function isSearchKind(value: unknown): value is SearchKind {
  return typeof value === 'string' && (KINDS as string[]).includes(value);
}

export class TraceSearch extends SceneObjectBase<TraceSearchState> {
  static Component = TraceSearchRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['id', 'kind'] });

  constructor(state: Pick<TraceSearchState, 'lokiUid' | 'lokiName'> & Partial<TraceSearchState>) {
    super({
      input: '',
      query: '',
      kind: 'any',
      ids: [],
      view: 'timeline',
      $data: new SceneQueryRunner({ datasource: { type: 'loki', uid: state.lokiUid }, queries: [] }),
      ...state,
    });
  }

  getUrlState(): SceneObjectUrlValues {
    return { id: this.state.query || undefined, kind: this.state.kind === 'any' ? undefined : this.state.kind };
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const query = typeof values.id === 'string' ? values.id : '';
    const kind = isSearchKind(values.kind) ? values.kind : 'any';
    if (query !== this.state.query || kind !== this.state.kind) {
      this.search(query, kind);
    }
  }

  setInput(input: string) {
    this.setState({ input });
  }

  setView(view: TraceView) {
    this.setState({ view });
  }

  /**
   * Parses the text and runs the LogQL for its ids; the box then shows what was understood (e.g. a pasted log line
   * becomes `runId=… requestId=…`). Unusable text clears the results and says why, without querying.
   */
  search(text = this.state.input, kind = this.state.kind) {
    const parsed = parseTraceInput(text, kind);
    const queries = parsed.ids.length > 0 ? [lokiTraceQuery(parsed.ids)] : [];
    const query = canonicalSearch(parsed.ids, kind);
    this.setState({
      input: parsed.ids.length > 0 ? query : text,
      query,
      kind,
      ids: parsed.ids,
      problem: text.trim() ? parsed.problem : undefined,
    });
    this.state.$data.setState({ queries });
    if (this.state.$data.isActive) {
      this.state.$data.runQueries();
    }
  }

  /** The LogQL of the current search (what Explore receives). */
  currentQuery() {
    return this.state.ids.length > 0 ? lokiTraceQuery(this.state.ids) : undefined;
  }

  timeRange() {
    return urlTimeRange(sceneGraph.getTimeRange(this).state.value.raw);
  }
}

const TIER_COLORS: Record<LineTier, BadgeColor> = {
  platform: 'purple',
  orchestrator: 'blue',
  agent: 'green',
  other: 'darkgrey',
};

const TIER_TITLES: Record<LineTier, string> = {
  platform: 'Platform',
  orchestrator: 'Orchestrator',
  agent: 'Agent',
  other: 'Other (not KiCI JSON)',
};

const LEVEL_COLORS: Record<string, BadgeColor> = { error: 'red', warn: 'orange', info: 'blue', debug: 'darkgrey' };

/** Ids shown on every line (the ones the trace is joined on), short enough to scan. */
const LINE_IDS = ['requestId', 'runId', 'jobId', 'eventId', 'deliveryId', 'agentId', 'routingKey'] as const;

function TraceSearchRenderer({ model }: SceneComponentProps<TraceSearch>) {
  const { input, kind, ids, problem, view, lokiUid, lokiName, $data } = model.useState();
  const { data } = $data.useState();
  sceneGraph.getTimeRange(model).useState();
  const styles = useStyles2(getStyles);

  const lines = ids.length > 0 && data ? traceLinesFromFrames(data.series) : [];
  const loading = data?.state === LoadingState.Loading;
  const query = model.currentQuery();
  const range = model.timeRange();
  const errors = (data?.errors ?? []).map((e) => e.message ?? String(e));

  return (
    <div className={styles.page} data-testid={testIds.traces.page}>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          model.search();
        }}
      >
        <Stack direction="column" gap={1}>
          <div className={styles.searchRow}>
            <div className={styles.input}>
              <Input
                data-testid={testIds.traces.input}
                aria-label="Trace id"
                prefix={<Icon name="search" />}
                placeholder="deliveryId, requestId, runId, jobId, eventId or X-Request-ID — or paste `Run: … | Trace: …`"
                value={input}
                onChange={(e) => model.setInput(e.currentTarget.value)}
              />
            </div>
            <Button type="submit" data-testid={testIds.traces.submit} icon="search">
              Find lines
            </Button>
          </div>
          <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
            <Text variant="bodySmall" color="secondary">
              Search as
            </Text>
            <div data-testid={testIds.traces.kind}>
              <RadioButtonGroup
                size="sm"
                options={KINDS.map((k) => ({ label: ID_KIND_LABELS[k], value: k }))}
                value={kind}
                onChange={(k) => model.search(input, k)}
              />
            </div>
            <Tooltip content="KiCI's ids are all UUIDs, so the text alone cannot say which one you have. 'Any id' matches every id field in one query and then tells you which field carried it; named ids (Run:, Trace:, X-GitHub-Delivery:, JSON keys) keep their kind.">
              <Icon name="info-circle" aria-label="How the id kind is chosen" />
            </Tooltip>
          </Stack>
          <ul className={styles.idHelp} data-testid={testIds.traces.idHelp}>
            {ID_HELP.map(({ name, text }) => (
              <li key={name}>
                <Text variant="bodySmall" color="secondary">
                  <strong>{name}</strong>: {text}
                </Text>
              </li>
            ))}
          </ul>
        </Stack>
      </form>

      {problem && (
        <Alert severity="warning" title="Nothing to search" data-testid={testIds.traces.problem}>
          {problem}
        </Alert>
      )}

      {query && (
        <TraceLinks
          ids={ids}
          lines={lines}
          logql={query.expr}
          lokiUid={lokiUid}
          lokiName={lokiName}
          range={range}
          queryUrl={exploreUrl(query, lokiUid, range)}
        />
      )}

      {errors.map((message) => (
        <Alert key={message} severity="error" title={`Loki (${lokiName}) answered with an error`}>
          {message}
        </Alert>
      ))}

      {query && !loading && errors.length === 0 && lines.length === 0 && (
        <Alert
          severity="info"
          title="No KiCI line carries this id in the time range"
          data-testid={testIds.traces.empty}
        >
          Widen the time range (top right), check the id, or pick its kind. Lines only reach Loki when a shipper such as
          Alloy sends KiCI&apos;s JSON logs there; `deliveryId` is only on the webhook ingress lines.
        </Alert>
      )}

      {!query && (
        <div data-testid={testIds.traces.hint}>
          <Text color="secondary" variant="bodySmall">
            Where the ids come from: a requestId is the X-Request-ID header of every orchestrator answer and the
            &quot;Trace:&quot; of an agent&apos;s &quot;Run: … | Trace: …&quot; line; a runId or jobId is on the run in
            KiCI and on its agent&apos;s lines; an eventId is on the Event DLQ page (each row and the event&apos;s
            page); a deliveryId is the webhook&apos;s delivery id from its source.
          </Text>
        </div>
      )}

      {lines.length > 0 && (
        <TraceResults model={model} ids={ids} lines={lines} view={view} truncated={lines.length >= TRACE_MAX_LINES} />
      )}
    </div>
  );
}

interface LinksProps {
  ids: TraceId[];
  lines: TraceLine[];
  logql: string;
  lokiUid: string;
  lokiName: string;
  range: ReturnType<TraceSearch['timeRange']>;
  queryUrl: string;
}

function TraceLinks({ ids, lines, logql, lokiUid, lokiName, range, queryUrl }: LinksProps) {
  const styles = useStyles2(getStyles);
  const vars = dashboardVariables(ids, lines);
  const hasVars = Object.keys(vars).length > 0;
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        {hasVars ? (
          <LinkButton
            data-testid={testIds.traces.dashboardLink}
            href={logsTraceDashboardUrl(vars, lokiUid, range)}
            icon="apps"
            variant="secondary"
            size="sm"
          >
            Logs trace dashboard (
            {Object.entries(vars)
              .map(([k]) => k)
              .join(', ')}
            )
          </LinkButton>
        ) : (
          <Tooltip content="The Logs trace dashboard has no deliveryId variable, and no line with this delivery id carries a requestId to open it with.">
            <span>
              <Button data-testid={testIds.traces.dashboardLink} icon="apps" variant="secondary" size="sm" disabled>
                Logs trace dashboard
              </Button>
            </span>
          </Tooltip>
        )}
        <LinkButton
          data-testid={testIds.traces.exploreLink}
          href={queryUrl}
          icon="compass"
          variant="secondary"
          size="sm"
        >
          Explore ({lokiName})
        </LinkButton>
        <ClipboardButton getText={() => logql} icon="copy" variant="secondary" size="sm" fill="text">
          Copy LogQL
        </ClipboardButton>
      </Stack>
      <code className={styles.logql} data-testid={testIds.traces.logql}>
        {logql}
      </code>
    </Stack>
  );
}

interface ResultsProps {
  model: TraceSearch;
  ids: TraceId[];
  lines: TraceLine[];
  view: TraceView;
  truncated: boolean;
}

function TraceResults({ model, ids, lines, view, truncated }: ResultsProps) {
  const styles = useStyles2(getStyles);
  const matched = matchedKinds(lines, ids);
  const related = relatedIds(lines, ids);
  const groups = groupByTier(lines);
  const errorCount = lines.filter(isErrorLine).length;

  return (
    <Stack direction="column" gap={1}>
      <div data-testid={testIds.traces.matched} className={styles.summary}>
        {lines.length} line{lines.length === 1 ? '' : 's'} across{' '}
        {groups.map((g) => `${TIER_TITLES[g.tier].toLowerCase()} ${g.lines.length}`).join(', ')}
        {errorCount > 0 && <Badge color="red" icon="exclamation-circle" text={`${errorCount} error`} />}
        {ids.map((id) => {
          const kinds = matched.get(id.value) ?? [];
          return (
            <span key={`${id.kind}-${id.value}`}>
              {' · '}
              <code>{id.value}</code> found as {kinds.length > 0 ? kinds.join(', ') : 'text only (no id field)'}
            </span>
          );
        })}
      </div>
      {truncated && (
        <Alert
          severity="warning"
          title={`Showing the first ${TRACE_MAX_LINES} lines`}
          data-testid={testIds.traces.truncated}
        >
          Narrow the time range, or open the query in Explore to page through everything.
        </Alert>
      )}
      {related.length > 0 && (
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap" data-testid={testIds.traces.related}>
          <Text variant="bodySmall" color="secondary">
            Follow:
          </Text>
          {related.map((r) => (
            <Button
              key={`${r.kind}-${r.value}`}
              size="sm"
              variant="secondary"
              fill="outline"
              onClick={() => model.search(r.value, r.kind)}
              tooltip={`Search this ${r.kind} (on ${r.lines} of these lines)`}
            >
              {r.kind} {r.value.slice(0, 8)}
            </Button>
          ))}
        </Stack>
      )}
      <div data-testid={testIds.traces.view}>
        <Text variant="bodySmall" color="secondary" data-testid={testIds.traces.timeZone}>
          {zoneLabel(getTimeZone(), lines[0].timeMs)}
        </Text>{' '}
        <RadioButtonGroup<TraceView>
          size="sm"
          options={[
            { label: 'All tiers, in time order', value: 'timeline' },
            { label: 'Grouped by tier', value: 'tiers' },
          ]}
          value={view}
          onChange={(v) => model.setView(v)}
        />
      </div>
      {view === 'timeline' ? (
        <LineList lines={lines} showTier />
      ) : (
        groups.map((g) => (
          <section key={g.tier} data-testid={testIds.traces.tierGroup} data-tier={g.tier} className={styles.group}>
            <h4 className={styles.groupTitle}>
              <Badge color={TIER_COLORS[g.tier]} text={TIER_TITLES[g.tier]} /> {g.lines.length} line
              {g.lines.length === 1 ? '' : 's'}
              {g.errors > 0 && <Badge color="red" icon="exclamation-circle" text={`${g.errors} error`} />}
            </h4>
            <LineList lines={g.lines} showTier={false} />
          </section>
        ))
      )}
    </Stack>
  );
}

function LineList({ lines, showTier }: { lines: TraceLine[]; showTier: boolean }) {
  const styles = useStyles2(getStyles);
  return (
    <ol className={styles.lines}>
      {lines.map((line) => (
        <LineRow key={line.key} line={line} showTier={showTier} styles={styles} />
      ))}
    </ol>
  );
}

function LineRow({ line, showTier, styles }: { line: TraceLine; showTier: boolean; styles: Styles }) {
  const [open, setOpen] = useState(false);
  const error = isErrorLine(line);
  const errorText = typeof line.fields.error === 'string' ? line.fields.error : '';
  return (
    <li
      className={cx(styles.line, error && styles.errorLine)}
      data-testid={testIds.traces.line}
      data-tier={line.tier}
      data-level={line.level}
    >
      <button type="button" className={styles.lineHead} onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className={styles.time}>{formatExact(line.timeMs, getTimeZone(), { millis: true })}</span>
        {showTier && <Badge color={TIER_COLORS[line.tier]} text={line.tier} />}
        {line.level && <Badge color={LEVEL_COLORS[line.level] ?? 'darkgrey'} text={line.level} />}
        {line.forwarded && (
          <Tooltip content="An agent line re-emitted on the orchestrator's stdout by the scaler log forwarder">
            <span className={styles.muted}>via {line.stream ?? 'orchestrator'}</span>
          </Tooltip>
        )}
        <span className={styles.message}>{line.message}</span>
        {errorText && <span className={styles.errorText}>{errorText}</span>}
        <span className={styles.ids}>
          {LINE_IDS.filter((k) => typeof line.fields[k] === 'string').map((k) => (
            <span key={k}>
              {k}={String(line.fields[k])}
            </span>
          ))}
        </span>
      </button>
      {open && <pre className={styles.raw}>{JSON.stringify(line.fields, null, 2) || line.raw}</pre>}
    </li>
  );
}

type Styles = ReturnType<typeof getStyles>;

function getStyles(theme: GrafanaTheme2) {
  return {
    page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
    form: css({ width: '100%' }),
    searchRow: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
    input: css({ flex: '1 1 auto', minWidth: 0 }),
    idHelp: css({ margin: 0, paddingLeft: theme.spacing(2) }),
    logql: css({
      display: 'block',
      fontFamily: theme.typography.fontFamilyMonospace,
      fontSize: theme.typography.bodySmall.fontSize,
      padding: theme.spacing(1),
      background: theme.colors.background.secondary,
      wordBreak: 'break-all',
      whiteSpace: 'pre-wrap',
      maxWidth: '100%',
      minWidth: 0,
    }),
    summary: css({
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(0.5),
      alignItems: 'center',
      color: theme.colors.text.primary,
      fontFamily: theme.typography.fontFamily,
    }),
    group: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
    groupTitle: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', margin: 0 }),
    lines: css({ listStyle: 'none', margin: 0, padding: 0, fontFamily: theme.typography.fontFamilyMonospace }),
    line: css({
      borderLeft: `3px solid transparent`,
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    errorLine: css({ borderLeftColor: theme.colors.error.main, background: theme.colors.error.transparent }),
    lineHead: css({
      all: 'unset',
      color: theme.colors.text.primary,
      cursor: 'pointer',
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      alignItems: 'center',
      padding: theme.spacing(0.5, 1),
      width: '100%',
      boxSizing: 'border-box',
    }),
    time: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
    message: css({ fontWeight: theme.typography.fontWeightMedium }),
    errorText: css({ color: theme.colors.error.text }),
    muted: css({ color: theme.colors.text.secondary }),
    ids: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), color: theme.colors.text.secondary }),
    raw: css({ margin: theme.spacing(0, 1, 1, 1), fontSize: theme.typography.bodySmall.fontSize }),
  };
}

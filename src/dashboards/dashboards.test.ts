/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { QUERY_TYPES } from '../datasource/query';
import { APP_ID, APP_PAGES, DASHBOARD_UIDS } from './constants';
import { bornWithin } from './counters';
import { generatedFiles } from './generate';
import { buildDashboards } from './index';
import { logqlProblems, promqlEnclosing, promqlInVariableQuery, promqlProblems } from './queryParse';

type Json = Record<string, any>;

const ROOT = join(__dirname, '..', '..');
const dashboards = buildDashboards().map(({ file, dashboard }) => ({ file, dashboard: dashboard as unknown as Json }));

function allPanels(dashboard: Json): Json[] {
  return (dashboard.panels ?? []).flatMap((panel: Json) => [panel, ...(panel.panels ?? [])]);
}

interface Query {
  where: string;
  language: 'logql' | 'promql' | 'kici';
  text: string;
  target: Json;
}

function queriesOf(dashboard: Json): Query[] {
  const queries: Query[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      const type = target.datasource?.type ?? panel.datasource?.type;
      const where = `${dashboard.uid} / ${panel.title} / ${target.refId}`;
      if (type === 'loki') {
        queries.push({ where, language: 'logql', text: target.expr, target });
      } else if (type === 'prometheus') {
        queries.push({ where, language: 'promql', text: target.expr, target });
      } else if (type === 'kici-ops-datasource') {
        queries.push({ where, language: 'kici', text: String(target.queryType), target });
      } else {
        throw new Error(`${where}: unexpected datasource type ${type}`);
      }
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === 'query') {
      const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
      const promql = promqlInVariableQuery(query);
      if (variable.datasource?.type !== 'prometheus' || promql === null) {
        throw new Error(`${dashboard.uid} / $${variable.name}: unsupported variable query ${query}`);
      }
      queries.push({
        where: `${dashboard.uid} / $${variable.name}`,
        language: 'promql',
        text: promql,
        target: variable,
      });
    }
  }
  return queries;
}

const queries = dashboards.flatMap(({ dashboard }) => queriesOf(dashboard));

function linksOf(dashboard: Json): Array<{ where: string; url: string }> {
  const links: Array<{ where: string; url: string }> = [];
  for (const link of dashboard.links ?? []) {
    if (link.type === 'link') {
      links.push({ where: `${dashboard.uid} / dashboard link ${link.title}`, url: link.url });
    }
  }
  for (const panel of allPanels(dashboard)) {
    const fieldLinks = [
      ...(panel.fieldConfig?.defaults?.links ?? []),
      ...(panel.fieldConfig?.overrides ?? []).flatMap((o: Json) =>
        o.properties.filter((p: Json) => p.id === 'links').flatMap((p: Json) => p.value)
      ),
      ...(panel.links ?? []),
    ];
    for (const link of fieldLinks) {
      links.push({ where: `${dashboard.uid} / ${panel.title} / ${link.title}`, url: link.url });
    }
  }
  return links;
}

/** Why a link target does not exist, or null when it does. */
function brokenLink(url: string): string | null {
  const [path, query = ''] = url.split('?');
  const params = query.split('&').filter(Boolean);
  const app = new RegExp(`^/a/${APP_ID}/([a-z-]+)$`).exec(path);
  if (app) {
    return (APP_PAGES as readonly string[]).includes(app[1]) ? null : `no app page ${app[1]}`;
  }
  const board = /^\/d\/([A-Za-z0-9_-]+)$/.exec(path);
  if (!board) {
    return `not an app page or dashboard: ${path}`;
  }
  const target = dashboards.find(({ dashboard }) => dashboard.uid === board[1]);
  if (!target) {
    return `no dashboard with uid ${board[1]}`;
  }
  const variables = new Set((target.dashboard.templating?.list ?? []).map((v: Json) => v.name));
  for (const param of params) {
    const variable = /^var-([A-Za-z0-9_]+)=/.exec(param);
    if (variable && !variables.has(variable[1])) {
      return `dashboard ${board[1]} has no variable ${variable[1]}`;
    }
  }
  return null;
}

describe('generated dashboards', () => {
  it('are checked in exactly as the generator writes them', () => {
    const files = generatedFiles();
    expect(files.size).toBe(dashboards.length + 1);
    for (const [path, content] of files) {
      expect({ path, content: readFileSync(join(ROOT, path), 'utf8') }).toEqual({ path, content });
    }
  });

  it('have the planned uids, unique panel ids and refIds on every target', () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual(Object.values(DASHBOARD_UIDS).sort());
    for (const { dashboard } of dashboards) {
      const ids = allPanels(dashboard).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      for (const panel of allPanels(dashboard)) {
        const refIds = (panel.targets ?? []).map((t: Json) => t.refId);
        expect(refIds.every((r: unknown) => typeof r === 'string' && r !== '')).toBe(true);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    }
  });

  it('parse: every LogQL query with lezer-logql and every PromQL expression with lezer-promql', () => {
    expect(queries.filter((q) => q.language === 'logql').length).toBeGreaterThanOrEqual(9);
    expect(queries.filter((q) => q.language === 'promql').length).toBeGreaterThanOrEqual(60);
    const failures = queries
      .map((q) => ({
        where: q.where,
        problems:
          q.language === 'logql' ? logqlProblems(q.text) : q.language === 'promql' ? promqlProblems(q.text) : [],
      }))
      .filter((f) => f.problems.length > 0);
    expect(failures).toEqual([]);
  });

  it('send only query types the KiCI datasource knows', () => {
    const kici = queries.filter((q) => q.language === 'kici');
    expect(kici.map((q) => q.text).sort()).toEqual(['dlqDepth', 'dlqEvents', 'dlqSignatures', 'eventDelivery']);
    expect(kici.every((q) => (QUERY_TYPES as readonly string[]).includes(q.text))).toBe(true);
  });

  it('aggregate shared-database and leader-only gauges with max/min, never sum (HA)', () => {
    const promql = queries.filter((q) => q.language === 'promql');
    for (const metric of [
      'kici_orch_dispatch_queue_depth',
      'kici_orch_dispatch_queue_depth_by_label',
      'kici_orch_stale_runs_current',
      'kici_orch_event_dlq_depth',
    ]) {
      const uses = promql.flatMap((q) => promqlEnclosing(q.text, metric).map((chain) => ({ where: q.where, chain })));
      expect(uses.length).toBeGreaterThan(0);
      expect(uses.filter(({ chain }) => ['sum', 'count', 'avg'].includes(chain[0]))).toEqual([]);
    }
  });

  it('never rate() a gauge and never double-count generic webhooks', () => {
    const promql = queries.filter((q) => q.language === 'promql');
    const refusals = promql.flatMap((q) => promqlEnclosing(q.text, 'kici_orch_scaler_spawn_refusals_total'));
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.filter((chain) => ['rate', 'irate', 'increase'].includes(chain[0]))).toEqual([]);
    const webhooks = promql.filter((q) => q.text.includes('kici_orch_webhooks_received_total'));
    expect(webhooks.length).toBeGreaterThan(0);
    expect(
      webhooks.filter((q) => !/kici_orch_webhooks_received_total\{source="(pipeline|generic)"/.test(q.text))
    ).toEqual([]);
  });

  it('read KiCI log fields from the JSON, not from the stream label, and only the real message strings', () => {
    const logql = queries.filter((q) => q.language === 'logql');
    expect(logql.filter((q) => !q.text.includes('kici_service="service"'))).toEqual([]);
    const agentPanel = logql.find((q) => q.where.includes('Agent lines'));
    expect(agentPanel?.text).toContain('| kici_service="agent"');
    for (const docOnly of ['Triggers matched', 'Job started', 'Job completed', 'Webhook relay received', 'traceId']) {
      expect(logql.filter((q) => q.text.includes(docOnly))).toEqual([]);
    }
    const ascending = logql.filter((q) => q.target.direction === 'forward');
    expect(ascending.length).toBeGreaterThanOrEqual(5);
  });

  // KiCI's OTel counters appear at their first add() (contract §7.1): a plain increase()/rate() never counts the step
  // that created a series. On the event-delivery and orchestrator dashboards every one must add the series born
  // inside its window (src/dashboards/counters.ts; its forms are proven with promtool in dev/prometheus).
  it('count counter series born inside the window on the event-delivery and orchestrator dashboards (every KiCI counter)', () => {
    const call = /\b(increase|rate)\((kici_orch_[a-z_]+(?:\{[^}]*\})?)\[([^\]]+)\]\)/g;
    const uses = queries
      .filter((q) => q.language === 'promql' && /^(kici-ops-event-delivery|kici-ops-orchestrator) \//.test(q.where))
      .flatMap((q) =>
        [...q.text.matchAll(call)].map((m) => ({ where: q.where, text: q.text, fn: m[1], sel: m[2], range: m[3] }))
      );
    expect(uses.length).toBeGreaterThanOrEqual(15);
    const plain = uses.filter((u) => {
      const born = bornWithin(u.sel, u.range);
      const head = `${u.fn}(${u.sel}[${u.range}]) unless ${born}) or `;
      return !u.text.includes(`${head}${born}`) && !u.text.includes(`${head}(${born} / `);
    });
    expect(plain.map((u) => `${u.where}: ${u.fn}(${u.sel}[${u.range}])`)).toEqual([]);
  });

  // "All" must mean the variable's own values: a custom allValue like `.+` also matches the agents' scrape job
  // (dev/prometheus/prometheus.yml has `kici-agent`), so `up{job=~"$job"}` counted agents as orchestrators.
  it('let "All" on the orchestrator job/instance variables mean their values, not every scrape job', () => {
    for (const { dashboard } of dashboards) {
      for (const v of (dashboard.templating?.list ?? []).filter((x: Json) => ['job', 'instance'].includes(x.name))) {
        expect({
          where: `${dashboard.uid} / $${v.name}`,
          includeAll: v.includeAll,
          allValue: v.allValue ?? null,
        }).toEqual({
          where: `${dashboard.uid} / $${v.name}`,
          includeAll: true,
          allValue: null,
        });
        // The jobs that hold orchestrators; their instances from `up`, so an orchestrator that is down (and so
        // exports no target_info) is still one of the values and "Orchestrators up" counts it (live check finding).
        expect(v.query.query ?? v.query).toBe(
          v.name === 'job'
            ? 'label_values(target_info{service_name="kici-orchestrator"}, job)'
            : 'label_values(up{job=~"$job"}, instance)'
        );
      }
    }
  });

  // KiCI 0.9.1 (contract §9; samples/logs/README.md): the pipeline's requestId is generated per delivery and never
  // returned to the sender; a caller's X-Request-ID is logged only on `Request completed` and, for a generic webhook,
  // inside the deliveryId. `Job dispatched` carries `job` (the job's name), not `jobId`.
  it('say on the Logs trace id variables what each id really is and which lines carry it', () => {
    const trace = dashboards.find(({ dashboard }) => dashboard.uid === DASHBOARD_UIDS.logsTrace)!.dashboard;
    const described = Object.fromEntries(
      (trace.templating.list as Json[]).filter((v) => v.type === 'textbox').map((v) => [v.name, v.description])
    );
    expect(described).toEqual({
      requestId:
        "The webhook pipeline's requestId: generated by KiCI for each delivery and never returned to the sender " +
        "(an X-Request-ID is not it). On the ingress and pipeline lines and the agent's `Run: <runId> | Trace: " +
        "<requestId>`. From a deliveryId or an X-Request-ID, find it on the app's Traces page.",
      runId: 'Execution run id (check-run summary "Run"; `Job dispatched`, `Execution completed`, agent lines).',
      jobId:
        'Job id within a run: on agent lines and `Job status update`. `Job dispatched` names the job in `job`, not ' +
        '`jobId`, so it is found by the requestId or runId.',
      eventId: 'Internal event id (kici_events.id, DLQ): on the event-router lines only.',
    });
  });

  it('link only to existing app pages and dashboards (and their variables)', () => {
    const links = dashboards.flatMap(({ dashboard }) => linksOf(dashboard));
    expect(links.length).toBeGreaterThanOrEqual(20);
    expect(links.some((l) => l.url.startsWith(`/d/${DASHBOARD_UIDS.logsTrace}?var-eventId=`))).toBe(true);
    expect(links.some((l) => l.url.startsWith(`/a/${APP_ID}/dlq`))).toBe(true);
    expect(links.some((l) => l.url.startsWith(`/a/${APP_ID}/infrastructure`))).toBe(true);
    expect(links.map((l) => ({ ...l, broken: brokenLink(l.url) })).filter((l) => l.broken)).toEqual([]);
  });

  it('link checker rejects unknown targets', () => {
    expect(brokenLink('/a/kici-ops-app/nowhere')).toBe('no app page nowhere');
    expect(brokenLink('/d/not-a-dashboard')).toBe('no dashboard with uid not-a-dashboard');
    expect(brokenLink(`/d/${DASHBOARD_UIDS.logsTrace}?var-nope=1`)).toBe(
      `dashboard ${DASHBOARD_UIDS.logsTrace} has no variable nope`
    );
    expect(brokenLink('https://example.com/')).toMatch(/^not an app page/);
  });
});

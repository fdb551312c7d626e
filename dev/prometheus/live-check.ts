// `tsx dev/prometheus/live-check.ts [--scenario cluster-3] [--rate 5] [--scrape-interval 2] [--min-wait 30]
//   [--max-wait 150] [--prometheus prometheus] [--root <checkout>]`
//
// Starts kici-sim (live, on an embedded PostgreSQL) and a real Prometheus on loopback scraping every node and agent,
// then evaluates every PromQL expression of the dashboards, the Grafana-managed alert rules and the Prometheus rules
// through the HTTP API and prints one line per expression: error / empty / data. Exits 1 on any evaluation error,
// on an empty result over series kici-sim produces, or on a Prometheus rule whose evaluation fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';

import { parseExposition } from '../kici-sim/http/prom-text';
import { startSim, type Sim } from '../kici-sim/sim';
import { freePort, startPostgres, type RunningPostgres } from '../testing/postgres';
import {
  allSelectedValue,
  rateIntervalS,
  substituteVariables,
  withRuleInterval,
  type EvalMode,
  type Intervals,
} from './expressions';
import { dataOperands, hasRangeSelector, scrapedSeries, unmatchedSelectors, upSeries, whyUnmatched } from './promql';
import type { ScrapeTarget, Series } from './promql';
import {
  outcomeOf,
  resultDigest,
  ruleProblems,
  summaryTable,
  verdict,
  type ExpressionCheck,
  type Outcome,
} from './report';
import { loadShippedPromql } from './sources';

const REPO_ROOT = resolve(__dirname, '..', '..');
const ORCHESTRATOR_JOB = 'kici-orchestrator';
const AGENT_JOB = 'kici-agent';
/** Counters that appear only once kici-sim's live mode has done that kind of work (runs, retries, DLQ admissions). */
const AWAITED_SAMPLES = ['kici_orch_executions_total', 'kici_orch_event_retry_total', 'kici_orch_event_dlq_total'];

interface Options {
  scenario: string;
  rate: number;
  scrapeIntervalS: number;
  minWaitS: number;
  maxWaitS: number;
  prometheus: string;
  /** The checkout whose dashboards and rules are checked (default: this one). */
  root: string;
}

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    scenario: 'cluster-3',
    rate: 5,
    // 2 s rather than 1 s: a scrape answered a little late on a loaded CI machine must not time out and mark series stale.
    scrapeIntervalS: 2,
    minWaitS: 30,
    maxWaitS: 150,
    prometheus: 'prometheus',
    root: REPO_ROOT,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) {
      throw new Error(`${flag} needs a value`);
    }
    const num = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) {
        throw new Error(`${flag} must be a positive number, got ${value}`);
      }
      return n;
    };
    switch (flag) {
      case '--scenario':
        o.scenario = value;
        break;
      case '--rate':
        o.rate = num();
        break;
      case '--scrape-interval':
        o.scrapeIntervalS = Math.round(num());
        break;
      case '--min-wait':
        o.minWaitS = num();
        break;
      case '--max-wait':
        o.maxWaitS = num();
        break;
      case '--prometheus':
        o.prometheus = value;
        break;
      case '--root':
        o.root = resolve(value);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return o;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`[prometheus-live ${Math.round(process.uptime())}s] ${line}\n`);

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: null };
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < until) {
    try {
      const v = await probe();
      if (v !== null) {
        return v;
      }
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (${lastError})` : ''}`);
}

interface Target extends ScrapeTarget {
  url: string;
}

/** Scrapes every target's /metrics as Prometheus would store it; unreachable targets (faulted nodes) give only `up`. */
async function scrapeAll(targets: Target[]): Promise<Series[]> {
  const series: Series[] = upSeries(targets);
  for (const t of targets) {
    try {
      const res = await fetch(`${t.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) {
        series.push(...scrapedSeries(parseExposition(await res.text()), t));
      }
    } catch {
      // A node the scenario keeps down: Prometheus sees it as up == 0 and so do we.
    }
  }
  return series;
}

function prometheusConfig(targets: Target[], scrapeIntervalS: number, rulesFile: string): string {
  const job = (name: string) => ({
    job_name: name,
    metrics_path: '/metrics',
    scrape_interval: `${scrapeIntervalS}s`,
    scrape_timeout: `${scrapeIntervalS}s`,
    static_configs: [{ targets: targets.filter((t) => t.job === name).map((t) => t.instance) }],
  });
  return toYaml({
    global: { scrape_interval: `${scrapeIntervalS}s`, evaluation_interval: `${scrapeIntervalS}s` },
    rule_files: [rulesFile],
    scrape_configs: [job(ORCHESTRATOR_JOB), job(AGENT_JOB)],
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

async function run(opts: Options, cleanup: Array<() => Promise<void>>): Promise<boolean> {
  const shipped = loadShippedPromql(opts.root);
  log(`${shipped.expressions.length} PromQL expressions to evaluate`);

  const pg: RunningPostgres = await startPostgres();
  cleanup.push(() => pg.stop());
  const sim: Sim = await startSim({ scenario: opts.scenario, pgUrl: pg.url, live: { ratePerSec: opts.rate } });
  cleanup.push(() => sim.stop());
  const targets: Target[] = [
    ...sim.nodes.map((n) => ({ job: ORCHESTRATOR_JOB, instance: new URL(n.url).host, url: n.url })),
    ...sim.agents.map((a) => ({ job: AGENT_JOB, instance: new URL(a.url).host, url: a.url })),
  ];
  log(`kici-sim ${opts.scenario} live: ${sim.nodes.length} nodes, ${sim.agents.length} agents with /metrics`);

  const dir = await mkdtemp(join(tmpdir(), 'kici-prometheus-live-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const rulesFile = join(dir, 'kici-rules.yaml');
  await writeFile(rulesFile, toYaml(withRuleInterval(shipped.prometheusRules, 2 * opts.scrapeIntervalS)));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, prometheusConfig(targets, opts.scrapeIntervalS, rulesFile));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'prometheus.log');
  const logHandle = await open(logFile, 'w');
  const prometheus = spawn(
    opts.prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', logHandle.fd, logHandle.fd] }
  );
  const spawnFailed = new Promise<never>((_, reject) => {
    prometheus.once('error', (err) => reject(new Error(`cannot start ${opts.prometheus}: ${err.message}`)));
    prometheus.once('exit', (code, signal) =>
      reject(new Error(`${opts.prometheus} exited (${signal ?? code}) before the check finished`))
    );
  });
  spawnFailed.catch(() => undefined);
  cleanup.push(async () => {
    await stopProcess(prometheus);
    await logHandle.close();
  });
  const guarded = <T>(p: Promise<T>) => Promise.race([p, spawnFailed]);
  const startedAt = Date.now();

  try {
    await guarded(
      waitFor('Prometheus /-/ready', 30_000, async () => ((await fetch(`${base}/-/ready`)).ok ? true : null))
    );
    log(`Prometheus ${base} ready (pid ${prometheus.pid})`);
    await guarded(
      waitFor('a first scrape of every target', 30_000, async () => {
        const { body } = await getJson(`${base}/api/v1/targets`);
        const active: any[] = body?.data?.activeTargets ?? [];
        const scraped = active.filter((t) => !String(t.lastScrape).startsWith('0001-'));
        return active.length === targets.length && scraped.length === targets.length ? active : null;
      })
    );
    const { body: targetsBody } = await getJson(`${base}/api/v1/targets`);
    for (const t of targetsBody.data.activeTargets) {
      log(`target ${t.labels.job} ${t.labels.instance}: ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`);
    }

    // Let live mode produce the counters that only exist once something happened (runs, retries, DLQ admissions).
    let present = new Set<string>();
    while (true) {
      const elapsedS = (Date.now() - startedAt) / 1000;
      present = new Set((await scrapeAll(targets)).map((s) => s.__name__));
      const missing = AWAITED_SAMPLES.filter((m) => !present.has(m));
      if (elapsedS >= opts.minWaitS && missing.length === 0) {
        break;
      }
      if (elapsedS >= opts.maxWaitS) {
        log(`still absent after ${opts.maxWaitS}s (reported as no data expected): ${missing.join(', ')}`);
        break;
      }
      await guarded(sleep(2_000));
    }

    const intervals: Intervals = {
      intervalS: 2 * opts.scrapeIntervalS,
      rangeS: Math.min(60, Math.floor((Date.now() - startedAt) / 1000)),
      scrapeIntervalS: opts.scrapeIntervalS,
    };
    const pre = await scrapeAll(targets);
    // Series seen now have several samples in Prometheus by the time the expressions run.
    await guarded(sleep((rateIntervalS(intervals) + 2 * opts.scrapeIntervalS) * 1000));
    const end = Date.now() / 1000;
    const start = end - intervals.rangeS;
    log(
      `evaluating at ${new Date(end * 1000).toISOString()}: $__interval=${intervals.intervalS}s ` +
        `$__rate_interval=${rateIntervalS(intervals)}s $__range=${intervals.rangeS}s, range queries over ${intervals.rangeS}s`
    );

    const cache = new Map<string, Promise<Outcome>>();
    const evaluate = (mode: EvalMode, query: string): Promise<Outcome> => {
      const key = `${mode} ${query}`;
      if (!cache.has(key)) {
        const params = new URLSearchParams(
          mode === 'instant'
            ? { query, time: String(end) }
            : { query, start: String(start), end: String(end), step: `${intervals.intervalS}s` }
        );
        cache.set(
          key,
          fetch(`${base}/api/v1/${mode === 'instant' ? 'query' : 'query_range'}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: params.toString(),
            signal: AbortSignal.timeout(15_000),
          })
            .then(async (res) => {
              const text = await res.text();
              let body = null;
              try {
                body = JSON.parse(text);
              } catch {
                // not JSON: outcomeOf reports the HTTP status
              }
              return outcomeOf(res.status, body);
            })
            .catch((err: Error) => ({ kind: 'error', message: err.message }) as Outcome)
        );
      }
      return cache.get(key)!;
    };

    // Dashboard variables as Grafana resolves them (label values over the time range), then "All" selected.
    const variableValues = new Map<string, Record<string, string>>();
    for (const v of shipped.variables) {
      const values = variableValues.get(v.dashboardUid) ?? {};
      const selector = substituteVariables(v.selector, intervals, values);
      const url =
        `${base}/api/v1/label/${encodeURIComponent(v.label)}/values?` +
        new URLSearchParams({ 'match[]': selector, start: String(start), end: String(end) }).toString();
      const { body } = await getJson(url);
      const found: string[] = body?.status === 'success' ? body.data : [];
      log(`$${v.name} of ${v.dashboardUid}: ${found.length ? found.join(', ') : '(no values)'}`);
      values[v.name] = allSelectedValue(v, found);
      variableValues.set(v.dashboardUid, values);
    }

    const checks: ExpressionCheck[] = [];
    for (const e of shipped.expressions) {
      const variables = e.dashboardUid ? (variableValues.get(e.dashboardUid) ?? {}) : {};
      const query = substituteVariables(e.expr, intervals, variables);
      let operands: string[];
      let modes = [...e.modes];
      try {
        operands = dataOperands(query);
        if (hasRangeSelector(query) && !modes.includes('range')) {
          modes = [...modes, 'range'];
        }
      } catch {
        operands = [query]; // not parseable here: Prometheus's own answer below says why
      }
      if (!modes.includes('instant')) {
        modes = ['instant', ...modes];
      }
      const outcomes: ExpressionCheck['outcomes'] = {};
      for (const mode of modes) {
        outcomes[mode] = await evaluate(mode, query);
      }
      const check: ExpressionCheck = {
        expression: e,
        query,
        outcomes,
        operands: [],
      };
      for (const op of operands) {
        const opOutcomes: ExpressionCheck['outcomes'] = {};
        for (const mode of modes) {
          opOutcomes[mode] = await evaluate(mode, op);
        }
        check.operands.push({ query: op, notProduced: [], outcomes: opOutcomes });
      }
      checks.push(check);
    }

    // "All" must mean the variable's values: Prometheus here also scrapes the agents' own job (kici-agent), so every
    // panel scoped by $job must answer the same with "All" selected as with the orchestrators' job alone.
    const instantBody = async (query: string) => {
      const res = await fetch(`${base}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query, time: String(end) }).toString(),
        signal: AbortSignal.timeout(15_000),
      });
      return (await res.json().catch(() => null)) as Record<string, any> | null;
    };
    const allProblems: string[] = [];
    const scoped = shipped.expressions.filter((e) => e.source === 'dashboard-panel' && /\$\{?job\b/.test(e.expr));
    for (const e of scoped) {
      const values = variableValues.get(e.dashboardUid!) ?? {};
      const withAll = substituteVariables(e.expr, intervals, values);
      const orchestrators = substituteVariables(e.expr, intervals, {
        ...values,
        job: ORCHESTRATOR_JOB,
        instance: '.+',
      });
      const [a, b] = [resultDigest(await instantBody(withAll)), resultDigest(await instantBody(orchestrators))];
      if (a === null || b === null || a !== b) {
        allProblems.push(
          `${e.where}: "All" gives ${JSON.stringify(a)}, job="${ORCHESTRATOR_JOB}" alone ${JSON.stringify(b)}`
        );
      }
    }

    // A series counts as produced when kici-sim served it before and after the evaluation (live agents come and go).
    const post = await scrapeAll(targets);
    for (const check of checks) {
      for (const op of check.operands) {
        const missing = new Set<string>();
        for (const series of [pre, post]) {
          try {
            unmatchedSelectors(op.query, series).forEach((s) => missing.add(whyUnmatched(s, series)));
          } catch {
            // unparseable operand: its error outcome already fails the check
          }
        }
        op.notProduced = [...missing];
      }
    }

    const { body: after } = await getJson(`${base}/api/v1/targets`);
    for (const t of after?.data?.activeTargets ?? []) {
      if (t.health !== 'up') {
        log(`after the evaluation: target ${t.labels.job} ${t.labels.instance} ${t.health} (${t.lastError})`);
      }
    }

    // The Prometheus rules as Prometheus itself evaluates them (group interval shortened to 2 scrape intervals).
    const rules = await waitFor('every Prometheus rule evaluated', 30_000, async () => {
      const { body } = await getJson(`${base}/api/v1/rules`);
      const all: any[] = (body?.data?.groups ?? []).flatMap((g: any) => g.rules ?? []);
      const evaluated = all.filter((r) => r.lastEvaluation && !String(r.lastEvaluation).startsWith('0001-'));
      return all.length >= shipped.prometheusRuleNames.length && evaluated.length === all.length ? body : null;
    });
    const problems = ruleProblems(rules, shipped.prometheusRuleNames);

    process.stdout.write(`${summaryTable(checks)}\n\n`);
    const failed = checks.filter((c) => !verdict(c).ok);
    for (const c of failed) {
      process.stdout.write(`FAIL ${c.expression.where}\n  ${c.query.replace(/\n/g, '\n  ')}\n`);
    }
    const firing = (rules.data.groups as any[])
      .flatMap((g) => g.rules)
      .filter((r) => r.type === 'alerting' && r.state !== 'inactive')
      .map((r) => `${r.name} (${r.state})`);
    process.stdout.write(
      `Prometheus rules: ${shipped.prometheusRuleNames.length} loaded, ${problems.length} unhealthy` +
        `${firing.length ? `; pending/firing against kici-sim: ${firing.join(', ')}` : ''}\n`
    );
    for (const p of problems) {
      process.stdout.write(`FAIL prometheus rule ${p.rule}: ${p.problem}\n`);
    }
    process.stdout.write(
      `"All" on $job/$instance = the orchestrators' job alone (Prometheus also scrapes ${AGENT_JOB}): ` +
        `${scoped.length} panel expressions compared, ${allProblems.length} differ\n`
    );
    for (const p of allProblems) {
      process.stdout.write(`FAIL ${p}\n`);
    }
    const counts = { data: 0, empty: 0, error: 0 };
    checks.forEach((c) => counts[verdict(c).result]++);
    process.stdout.write(
      `${checks.length} expressions: ${counts.data} data, ${counts.empty} empty, ${counts.error} error; ` +
        `${failed.length} failed\n`
    );
    return failed.length === 0 && problems.length === 0 && allProblems.length === 0;
  } catch (err) {
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
    if (tail.trim()) {
      log(`Prometheus log (last lines):\n${tail}`);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const cleanup: Array<() => Promise<void>> = [];
  let cleaned = false;
  const stopAll = async () => {
    if (cleaned) {
      return;
    }
    cleaned = true;
    for (const step of cleanup.reverse()) {
      await step().catch((err: Error) => log(`cleanup: ${err.message}`));
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void stopAll().then(() => process.exit(1));
    });
  }
  let ok = false;
  try {
    ok = await run(opts, cleanup);
  } catch (err) {
    log(`failed: ${(err as Error).stack ?? err}`);
  } finally {
    await stopAll();
  }
  log(ok ? 'ok' : 'FAILED');
  process.exit(ok ? 0 : 1);
}

if (require.main === module) {
  void main();
}

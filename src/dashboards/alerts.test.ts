/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { QUERY_TYPES } from '../datasource/query';
import { ALERTING_FILE, EXPRESSION_DATASOURCE_UID } from './alerts';
import { ALERT_DATASOURCES, APP_ID, APP_PAGES } from './constants';
import { promqlProblems } from './queryParse';

type Json = Record<string, any>;

const ROOT = join(__dirname, '..', '..');
const provisioning: Json = parse(readFileSync(join(ROOT, ALERTING_FILE), 'utf8'));
const rules: Json[] = provisioning.groups.flatMap((g: Json) => g.rules);

/** refIds an expression model reads: reduce/threshold name one, math references `$X`. */
function expressionInputs(model: Json): string[] {
  if (model.type === 'math') {
    return [...String(model.expression).matchAll(/\$\{?([A-Za-z][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]);
  }
  return [String(model.expression)];
}

function isRunbookPage(url: string): boolean {
  const match = new RegExp(`^/a/${APP_ID}/([a-z-]+)$`).exec(url);
  return match !== null && (APP_PAGES as readonly string[]).includes(match[1]);
}

describe('Grafana alert rule provisioning (provisioning/alerting/kici.yaml)', () => {
  it('has one group in the KiCI folder with the provisioning fields Grafana reads', () => {
    expect(provisioning.apiVersion).toBe(1);
    expect(provisioning.groups).toHaveLength(1);
    const [group] = provisioning.groups;
    expect({ orgId: group.orgId, name: group.name, folder: group.folder, interval: group.interval }).toEqual({
      orgId: 1,
      name: 'kici',
      folder: 'KiCI',
      interval: '60s',
    });
    expect(group.title).toBeUndefined();
    expect(group.folderUid).toBeUndefined();
  });

  it('covers the KiCI failure modes, each rule once', () => {
    expect(rules.map((r) => r.uid).sort()).toEqual([
      'kici-dispatch-backlog',
      'kici-dlq-admissions',
      'kici-dlq-backlog',
      'kici-dlq-new-signature',
      'kici-lease-expirations',
      'kici-orchestrator-down',
      'kici-retry-backlog-stuck',
      'kici-scheduled-job-stale',
    ]);
    expect(new Set(rules.map((r) => r.title)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.uid, r]))('%s: annotations, states, for, labels', (_uid, rule) => {
    expect(typeof rule.annotations.summary).toBe('string');
    expect(rule.annotations.summary.length).toBeGreaterThan(10);
    expect(rule.annotations.description.length).toBeGreaterThan(40);
    expect(isRunbookPage(rule.annotations.runbook_url)).toBe(true);
    expect(['OK', 'Alerting', 'NoData', 'KeepLast']).toContain(rule.noDataState);
    expect(['OK', 'Alerting', 'Error', 'KeepLast']).toContain(rule.execErrState);
    expect(rule.for).toMatch(/^\d+[smh]$/);
    expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
  });

  it.each(rules.map((r) => [r.uid, r]))('%s: refs resolve, expressions parse', (_uid, rule) => {
    const refIds: string[] = rule.data.map((q: Json) => q.refId);
    expect(new Set(refIds).size).toBe(refIds.length);
    expect(refIds).toContain(rule.condition);
    rule.data.forEach((query: Json, index: number) => {
      expect(query.model.refId).toBe(query.refId);
      expect(query.relativeTimeRange.to).toBe(0);
      if (query.datasourceUid === EXPRESSION_DATASOURCE_UID) {
        expect(['reduce', 'threshold', 'math']).toContain(query.model.type);
        // An expression may only read queries defined before it.
        for (const input of expressionInputs(query.model)) {
          expect(refIds.slice(0, index)).toContain(input);
        }
      } else if (query.datasourceUid === ALERT_DATASOURCES.prometheus.uid) {
        expect(query.model.datasource).toEqual(ALERT_DATASOURCES.prometheus);
        expect(query.relativeTimeRange.from).toBeGreaterThan(0);
        expect(promqlProblems(query.model.expr)).toEqual([]);
      } else {
        expect(query.datasourceUid).toBe(ALERT_DATASOURCES.kici.uid);
        expect(query.model.datasource).toEqual(ALERT_DATASOURCES.kici);
        expect(QUERY_TYPES).toContain(query.model.queryType);
      }
    });
    // The condition is an expression, never a raw query.
    const condition = rule.data.find((q: Json) => q.refId === rule.condition);
    expect(condition.datasourceUid).toBe(EXPRESSION_DATASOURCE_UID);
  });

  // KiCI's OTel counters are born at their first add() (contract §7.1): every increase() of a Grafana rule must be
  // the form that counts a series born inside the window, proven with promtool in dev/prometheus/grafana-rules.test.yaml.
  it('proves every increase() query with promtool, on series born at 1 and after a restart', () => {
    const proven: Json = parse(readFileSync(join(ROOT, 'dev', 'prometheus', 'grafana-rules.test.yaml'), 'utf8'));
    const provenExprs = new Set<string>(
      proven.tests.flatMap((t: Json) => (t.promql_expr_test ?? []).map((c: Json) => c.expr))
    );
    const withIncrease = rules.flatMap((r) =>
      r.data
        .filter((q: Json) => typeof q.model.expr === 'string' && /\b(increase|rate)\(/.test(q.model.expr))
        .map((q: Json) => ({ rule: `${r.uid}/${q.refId}`, expr: q.model.expr as string }))
    );
    expect(withIncrease.map((q) => q.rule)).toEqual([
      'kici-dlq-admissions/A',
      'kici-lease-expirations/A',
      'kici-retry-backlog-stuck/A',
      'kici-retry-backlog-stuck/B',
    ]);
    expect(withIncrease.filter((q) => !provenExprs.has(q.expr))).toEqual([]);
  });

  it('reads the DLQ backlog from the KiCI datasource, not from the leader-only gauge', () => {
    const backlog = rules.find((r) => r.uid === 'kici-dlq-backlog')!;
    expect(backlog.data[0].model.queryType).toBe('dlqDepth');
    const prometheusExprs = rules.flatMap((r) => r.data.map((q: Json) => q.model.expr).filter(Boolean));
    expect(prometheusExprs.filter((e: string) => e.includes('kici_orch_event_dlq_depth'))).toEqual([]);
  });
});

describe('Prometheus rules file (dev/prometheus/kici-rules.yaml)', () => {
  const file: Json = parse(readFileSync(join(ROOT, 'dev', 'prometheus', 'kici-rules.yaml'), 'utf8'));
  const alerts: Json[] = file.groups.flatMap((g: Json) => g.rules);

  it('has alerts whose expressions parse and whose annotations are complete', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const alert of alerts) {
      expect({ alert: alert.alert, problems: promqlProblems(alert.expr) }).toEqual({
        alert: alert.alert,
        problems: [],
      });
      expect(alert.annotations.summary).toBeTruthy();
      expect(alert.annotations.description).toBeTruthy();
      expect(isRunbookPage(alert.annotations.runbook_url)).toBe(true);
    }
  });

  it('has a promtool test for every alert', () => {
    const tests: Json = parse(readFileSync(join(ROOT, 'dev', 'prometheus', 'kici-rules.test.yaml'), 'utf8'));
    const tested = new Set(
      tests.tests.flatMap((t: Json) =>
        (t.alert_rule_test ?? []).filter((c: Json) => c.exp_alerts.length > 0).map((c: Json) => c.alertname)
      )
    );
    expect(alerts.map((a) => a.alert).filter((name) => !tested.has(name))).toEqual([]);
  });

  // KiCI's OTel counters are born at their first add() and vanish on a restart (contract §7.1): every rule reading a
  // counter through increase()/rate() is tested on a series born at 1 (or a batch) and on a restart, firing.
  it('tests every increase()/rate() rule on a series born at 1 and on a restart', () => {
    const tests: Json = parse(readFileSync(join(ROOT, 'dev', 'prometheus', 'kici-rules.test.yaml'), 'utf8'));
    const firingIn = (prefix: string) =>
      new Set(
        tests.tests
          .filter((t: Json) => String(t.name).startsWith(prefix))
          .flatMap((t: Json) =>
            (t.alert_rule_test ?? []).filter((c: Json) => c.exp_alerts.length > 0).map((c: Json) => c.alertname)
          )
      );
    const born = firingIn('born at');
    const restart = firingIn('restart');
    const counterRules = alerts.filter((a) => /\b(increase|rate)\(/.test(a.expr)).map((a) => a.alert);
    expect(counterRules).toEqual([
      'KiciEventDLQAdmissions',
      'KiciEventDLQBacklog',
      'KiciEventLeaseExpirations',
      'KiciEventRetriesNotDraining',
      'KiciScalerSpawnFailing',
    ]);
    expect(counterRules.filter((name) => !born.has(name) || !restart.has(name))).toEqual([]);
  });
});

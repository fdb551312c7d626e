/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import {
  type AlertInstanceContext,
  configureAlertDlqLink,
  configureAlertInfrastructureLink,
  hostOf,
  kiciRuleUid,
} from './alertInstance';
import { buildAlertRules } from '../dashboards/alerts';

// The two shapes Grafana passes (AlertInstanceExtensionPoint.tsx): CombinedRule + Alert up to 12.x, a flattened
// rule later. Labels as a Grafana-managed instance carries them: alertname = rule title, grafana_folder, query labels.
const combined = (
  uid: string,
  labels: Record<string, string>,
  activeAt = '2026-12-05T10:00:00Z'
): AlertInstanceContext => ({
  rule: { name: 'x', rulerRule: { grafana_alert: { uid } } },
  instance: { labels, annotations: {}, state: 'Alerting', activeAt, value: '3' },
});
const flat = (uid: string, labels: Record<string, string>): AlertInstanceContext => ({
  rule: { name: 'x', uid, labels: {} },
  instance: { labels, annotations: {}, state: 'Normal', activeAt: '0001-01-01T00:00:00Z' },
});

describe('alert instance links', () => {
  it('finds KiCI rules by uid in either shape, or by alertname', () => {
    expect(kiciRuleUid(combined('kici-dlq-backlog', {}))).toBe('kici-dlq-backlog');
    expect(kiciRuleUid(flat('kici-orchestrator-down', {}))).toBe('kici-orchestrator-down');
    expect(kiciRuleUid({ instance: { labels: { alertname: 'KiCI events moved to the DLQ' } } })).toBe(
      'kici-dlq-admissions'
    );
    expect(kiciRuleUid(flat('someone-elses-rule', { alertname: 'Disk full' }))).toBeUndefined();
    expect(kiciRuleUid(undefined)).toBeUndefined();
  });

  it('knows every provisioned rule it links from by its title too, as Grafana labels an instance (alertname)', () => {
    const linked = buildAlertRules().filter((r) => kiciRuleUid(flat(r.uid, {})) === r.uid);
    expect(linked.map((r) => kiciRuleUid({ instance: { labels: { alertname: r.title } } }))).toEqual(
      linked.map((r) => r.uid)
    );
    expect(linked.map((r) => r.uid)).toEqual(expect.arrayContaining(['kici-dlq-backlog', 'kici-dlq-new-signature']));
  });

  it('opens the whole DLQ for the depth rule (it counts every dead-lettered row)', () => {
    expect(configureAlertDlqLink(combined('kici-dlq-backlog', { severity: 'warning' }))).toEqual({
      path: '/a/kici-ops-app/dlq',
    });
  });

  it('opens the admissions of the 15 minutes before the alert fired for the admissions rule', () => {
    const link = configureAlertDlqLink(combined('kici-dlq-admissions', {}, '2026-12-05T10:00:00Z'));
    const from = Date.parse('2026-12-05T09:45:00Z');
    expect(link?.path).toBe(`/a/kici-ops-app/dlq?inRange=1&from=${from}&to=now`);
    // Never fired (Grafana's zero time): the last 15 minutes.
    expect(configureAlertDlqLink(flat('kici-dlq-admissions', {}))?.path).toBe(
      '/a/kici-ops-app/dlq?inRange=1&from=now-15m&to=now'
    );
  });

  it('opens the event list filtered to the signature a new-signature instance names', () => {
    const labels = { signatureId: '0a1b2c3d', signature: 'connect ECONNREFUSED <host>' };
    expect(configureAlertDlqLink(combined('kici-dlq-new-signature', labels))).toEqual({
      path: '/a/kici-ops-app/dlq?signature=0a1b2c3d',
      description: 'The DLQ events of the error signature this alert names',
    });
    expect(kiciRuleUid({ instance: { labels: { alertname: 'A new KiCI DLQ error signature appeared' } } })).toBe(
      'kici-dlq-new-signature'
    );
    // Without the label (a hand-made rule, a changed frame) the whole list, not a filter on nothing.
    expect(configureAlertDlqLink(flat('kici-dlq-new-signature', {}))).toEqual({ path: '/a/kici-ops-app/dlq' });
  });

  it('shows no DLQ link on infrastructure rules nor on rules that are not KiCI’s', () => {
    expect(configureAlertDlqLink(flat('kici-orchestrator-down', {}))).toBeUndefined();
    expect(configureAlertDlqLink(flat('other', { alertname: 'Disk full' }))).toBeUndefined();
    expect(configureAlertDlqLink(undefined)).toBeUndefined();
  });

  it('opens Infrastructure at the orchestrator the instance label names', () => {
    const link = configureAlertInfrastructureLink(
      combined('kici-orchestrator-down', { alertname: 'KiCI orchestrator not answering', instance: 'orch-b:4000' })
    );
    expect(link).toEqual({
      path: '/a/kici-ops-app/infrastructure?host=orch-b',
      title: 'Open orchestrator orch-b in KiCI',
      description: 'The Infrastructure page filtered to the host orch-b this alert names',
    });
    expect(configureAlertInfrastructureLink(flat('kici-dispatch-backlog', {}))).toEqual({
      path: '/a/kici-ops-app/infrastructure',
    });
    expect(configureAlertInfrastructureLink(flat('kici-dlq-backlog', {}))).toBeUndefined();
    expect(configureAlertInfrastructureLink(flat('kici-scheduled-job-stale', {}))).toBeUndefined();
  });

  it('reads the host of a scrape target', () => {
    expect(hostOf('orch-a:4000')).toBe('orch-a');
    expect(hostOf('http://10.0.0.5:4000/metrics')).toBe('10.0.0.5');
    expect(hostOf('[::1]:4000')).toBe('::1');
    expect(hostOf('')).toBeUndefined();
  });
});

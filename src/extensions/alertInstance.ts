// Links on an instance of one of KiCI's alert rules (grafana/alerting/instance/action): the DLQ page filtered the way
// the rule counts, or the Infrastructure page at the orchestrator the alert names. Pure.
import { ROUTES } from '../constants';
import { appPath } from './points';

/**
 * What Grafana passes (public/app/features/alerting/unified/components/rules/AlertInstanceExtensionPoint.tsx): up to
 * 12.x `{ rule?: CombinedRule, instance: Alert }`, later a flattened `rule` (`name`, `uid`, `labels`, …) and the
 * instance's `labels`, `annotations`, `state`, `activeAt`, `value`. Only the fields both shapes share are read, plus
 * each shape's place for the rule uid.
 */
export interface AlertInstanceContext {
  rule?: {
    name?: string;
    uid?: string;
    labels?: Record<string, string>;
    promRule?: { uid?: string };
    rulerRule?: { grafana_alert?: { uid?: string } };
  };
  instance?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    state?: string;
    activeAt?: string;
    value?: string;
  };
}

/** KiCI's provisioned rules (src/dashboards/alerts.ts) by uid, with the title Grafana puts in `alertname`. */
const RULES: Record<string, { title: string; dlq?: 'all' | 'admissions' | 'signature'; infrastructure?: boolean }> = {
  'kici-dlq-backlog': { title: 'KiCI event DLQ has events awaiting triage', dlq: 'all' },
  'kici-dlq-admissions': { title: 'KiCI events moved to the DLQ', dlq: 'admissions' },
  'kici-dlq-new-signature': { title: 'A new KiCI DLQ error signature appeared', dlq: 'signature' },
  'kici-retry-backlog-stuck': { title: 'KiCI event retries not draining', dlq: 'all' },
  'kici-lease-expirations': { title: 'KiCI event dispatch leases expiring', infrastructure: true },
  'kici-orchestrator-down': { title: 'KiCI orchestrator not answering', infrastructure: true },
  'kici-dispatch-backlog': { title: 'KiCI jobs piling up in the dispatch queue', infrastructure: true },
};

/** The window `kici-dlq-admissions` counts over (`increase(kici_orch_event_dlq_total[15m])`). */
export const ADMISSIONS_WINDOW_MS = 15 * 60_000;

/** The KiCI rule an instance belongs to, by uid wherever the context carries it, else by its `alertname`. */
export function kiciRuleUid(context?: AlertInstanceContext): string | undefined {
  const rule = context?.rule;
  const labels = context?.instance?.labels ?? {};
  const uids = [rule?.uid, rule?.promRule?.uid, rule?.rulerRule?.grafana_alert?.uid, labels.__alert_rule_uid__];
  const byUid = uids.find((uid) => uid !== undefined && uid in RULES);
  if (byUid) {
    return byUid;
  }
  const name = labels.alertname ?? rule?.name;
  return Object.keys(RULES).find((uid) => RULES[uid].title === name);
}

/** Grafana sends `0001-01-01T00:00:00Z` for an instance that never fired. */
function activeAtMs(activeAt?: string): number | undefined {
  const ms = activeAt ? Date.parse(activeAt) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

export const ALERT_DLQ_LINK = {
  title: 'Open the KiCI event DLQ',
  description: 'The DLQ events this KiCI alert counts',
};

export function configureAlertDlqLink(context?: AlertInstanceContext) {
  const uid = kiciRuleUid(context);
  const rule = uid ? RULES[uid] : undefined;
  if (!rule?.dlq) {
    return undefined;
  }
  if (rule.dlq === 'signature') {
    // One instance per signature, labelled by the numbers frame's string fields (signature, signatureId).
    const id = context?.instance?.labels?.signatureId;
    return id
      ? {
          path: appPath(ROUTES.Dlq, { signature: id }),
          description: 'The DLQ events of the error signature this alert names',
        }
      : { path: appPath(ROUTES.Dlq) };
  }
  if (rule.dlq === 'all') {
    // dlqDepth counts every row with dlq_at set, whenever it arrived: the list without a time filter.
    return { path: appPath(ROUTES.Dlq) };
  }
  const active = activeAtMs(context?.instance?.activeAt);
  const from = active === undefined ? 'now-15m' : String(active - ADMISSIONS_WINDOW_MS);
  return {
    path: appPath(ROUTES.Dlq, { inRange: '1', from, to: 'now' }),
    description: 'The events moved to the DLQ in the 15 minutes before this alert fired, until now',
  };
}

export const ALERT_INFRASTRUCTURE_LINK = {
  title: 'Open KiCI infrastructure',
  description: 'The orchestrators, scaler pools and agents of this KiCI alert',
};

/** `orch-a:4000` or `http://orch-a:4000/metrics` → `orch-a`. */
export function hostOf(instance: string): string | undefined {
  const withoutScheme = instance.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = withoutScheme.startsWith('[')
    ? withoutScheme.slice(1, withoutScheme.indexOf(']'))
    : withoutScheme.split(/[:/]/)[0];
  return host || undefined;
}

export function configureAlertInfrastructureLink(context?: AlertInstanceContext) {
  const uid = kiciRuleUid(context);
  if (!uid || !RULES[uid].infrastructure) {
    return undefined;
  }
  const instance = context?.instance?.labels?.instance;
  const host = instance ? hostOf(instance) : undefined;
  return host
    ? {
        path: appPath(ROUTES.Infrastructure, { host }),
        title: `Open orchestrator ${host} in KiCI`,
        description: `The Infrastructure page filtered to the host ${host} this alert names`,
      }
    : { path: appPath(ROUTES.Infrastructure) };
}

import { parser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';

import {
  DLQ_ADMISSIONS_LOGQL,
  DLQ_PROMQL,
  dlqEventUrl,
  dlqListUrl,
  eventLogql,
  eventTimeWindow,
  exploreUrl,
  KICI_ADMIN,
  logsTraceUrl,
} from './links';

const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';

function parses(
  p: { parse: (s: string) => { iterate: (o: { enter: (n: { type: { isError: boolean } }) => void }) => void } },
  expr: string
): boolean {
  let ok = true;
  p.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        ok = false;
      }
    },
  });
  return ok;
}

const parsesAsLogql = (expr: string) => parses(parser, expr);

describe('DLQ links', () => {
  it('routes to the list and to one event', () => {
    expect(dlqListUrl()).toBe('/a/kici-ops-app/dlq');
    expect(dlqListUrl({ eventName: 'deploy complete' })).toBe('/a/kici-ops-app/dlq?eventName=deploy+complete');
    expect(dlqEventUrl(ID)).toBe(`/a/kici-ops-app/dlq/${ID}`);
  });

  it("builds the runbook's LogQL exactly, escaped, and it parses", () => {
    expect(eventLogql(ID)).toBe(`{service="orchestrator"} | json | eventId="${ID}"`);
    expect(eventLogql('a"b\\c')).toBe('{service="orchestrator"} | json | eventId="a\\"b\\\\c"');
    expect(parsesAsLogql(eventLogql(ID))).toBe(true);
    expect(parsesAsLogql(eventLogql('a"b\\c'))).toBe(true);
  });

  it('opens the Logs trace dashboard by eventId or runId over the event window', () => {
    const window = eventTimeWindow({ createdAt: '2026-11-24T06:10:00.000Z', dlqAt: '2026-11-24T06:11:00.000Z' });
    expect(window).toEqual({
      from: Date.parse('2026-11-24T06:05:00.000Z'),
      to: Date.parse('2026-11-24T06:16:00.000Z'),
    });
    expect(logsTraceUrl({ eventId: ID }, window)).toBe(
      `/d/kici-logs-trace?var-eventId=${ID}&from=${window.from}&to=${window.to}`
    );
    expect(logsTraceUrl({ runId: 'run-7' })).toBe('/d/kici-logs-trace?var-runId=run-7');
  });

  it('puts the exact LogQL in an Explore pane on the Loki datasource', () => {
    const url = exploreUrl({ type: 'loki', uid: 'loki-1' }, eventLogql(ID), { from: 1, to: 2 });
    const params = new URLSearchParams(url.split('?')[1]);
    expect(url.startsWith('/explore?')).toBe(true);
    expect(JSON.parse(params.get('panes')!)).toEqual({
      dlq: {
        datasource: 'loki-1',
        queries: [{ refId: 'A', expr: eventLogql(ID), datasource: { type: 'loki', uid: 'loki-1' } }],
        range: { from: '1', to: '2' },
      },
    });
  });

  it('writes PromQL and LogQL that parse, with the metric names KiCI emits', () => {
    for (const expr of Object.values(DLQ_PROMQL)) {
      expect(parses(promqlParser, expr)).toBe(true);
    }
    expect(parses(promqlParser, 'sum(increase(kici_orch_event_dlq_total[1h]')).toBe(false);
    expect(DLQ_PROMQL.leaseExpirations24h).toContain('kici_orch_event_lease_expirations_total');
    expect(parsesAsLogql(DLQ_ADMISSIONS_LOGQL)).toBe(true);
    expect(parsesAsLogql('{service="orchestrator" | json')).toBe(false);
  });

  it('names the kici-admin commands of contract §6.3', () => {
    expect(KICI_ADMIN.retry(ID)).toBe(`kici-admin event-dlq retry ${ID}`);
    expect(KICI_ADMIN.discard(ID)).toBe(`kici-admin event-dlq discard ${ID}`);
    expect(KICI_ADMIN.count).toBe('kici-admin event-dlq count');
  });
});

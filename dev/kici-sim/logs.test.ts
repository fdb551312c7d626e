import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { agentRunTraceMessage, createKiciLogger, KICI_LOG } from './logs';

function sink(): { out: Writable; lines: () => Array<Record<string, unknown>>; raw: () => string[] } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const raw = () => chunks.join('').split('\n').filter(Boolean);
  return { out, raw, lines: () => raw().map((l) => JSON.parse(l)) };
}

const at = new Date('2026-11-24T06:11:17.912Z');

test('winston JSON shape: level, message, meta, context, service, timestamp', () => {
  const s = sink();
  const log = createKiciLogger({ service: 'orchestrator', out: s.out, now: () => at });
  log.error(KICI_LOG.eventMovedToDlq, {
    eventId: 'e1',
    eventName: 'deploy-complete',
    attempts: 5,
    maxDispatchAttempts: 5,
    error: 'Error: lock file fetch failed',
  });
  expect(s.raw()[0]).toBe(
    '{"level":"error","message":"Event moved to DLQ after exhausting retries","eventId":"e1","eventName":"deploy-complete","attempts":5,"maxDispatchAttempts":5,"error":"Error: lock file fetch failed","service":"orchestrator","timestamp":"2026-11-24T06:11:17.912Z"}'
  );
});

test('request context fields ride along; debug is below the threshold; agent tokens are masked', () => {
  const s = sink();
  const log = createKiciLogger({ service: 'orchestrator', out: s.out, now: () => at }).withContext({
    requestId: 'r1',
    routingKey: 'github:42',
  });
  log.withContext({ runId: 'run1' }).info(KICI_LOG.jobDispatched, { job: 'build', token: `kat_${'a'.repeat(64)}` });
  log.debug('not emitted');
  const lines = s.lines();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toEqual({
    level: 'info',
    message: 'Job dispatched',
    job: 'build',
    token: 'kat_***',
    requestId: 'r1',
    runId: 'run1',
    routingKey: 'github:42',
    service: 'orchestrator',
    timestamp: at.toISOString(),
  });
});

test('forwarded agent lines carry service agent inside the orchestrator stream; file output appends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kici-logs-'));
  try {
    const file = join(dir, 'orchestrator.log');
    const log = createKiciLogger({ service: 'orchestrator', file, now: () => at });
    log.forwardAgentLine(
      { level: 'info', message: agentRunTraceMessage('run1', 'req1') },
      { agentId: 'a1', runId: 'run1', requestId: 'req1', logsSource: 'docker' }
    );
    log.info(KICI_LOG.requestCompleted, {
      method: 'GET',
      path: '/health',
      status: 200,
      duration: '3ms',
      requestId: 'req2',
    });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      message: 'Run: run1 | Trace: req1',
      service: 'agent',
      agentId: 'a1',
      runId: 'run1',
      requestId: 'req1',
      logsSource: 'docker',
    });
    expect(lines[1]).toMatchObject({ message: 'Request completed', service: 'orchestrator', duration: '3ms' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

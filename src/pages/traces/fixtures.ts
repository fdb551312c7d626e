// Test data: Loki log frames as Grafana's Loki datasource returns them, holding KiCI lines as kici-sim writes them.
import { type DataFrame, FieldType, toDataFrame } from '@grafana/data';

export const REQUEST_ID = '3f2c9a7e-1b4d-4e8a-9c0f-5d6e7f8a9b0c';
export const RUN_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const DELIVERY_ID = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

export interface StreamLine {
  /** The stream's labels as Alloy sets them (`service`, `instance`, ...). */
  stream: Record<string, string>;
  line: Record<string, unknown> | string;
  /** Loki's timestamp; defaults to the line's `timestamp`. */
  lokiMs?: number;
}

/** One Loki log frame (`labels`, `Time`, `Line`, `tsNs`, `id`), rows in the order given. */
export function lokiLogFrame(rows: StreamLine[], refId = 'trace'): DataFrame {
  const ms = (r: StreamLine) =>
    r.lokiMs ?? (typeof r.line === 'string' ? 0 : Date.parse(String((r.line as { timestamp?: string }).timestamp)));
  return toDataFrame({
    refId,
    meta: { preferredVisualisationType: 'logs' },
    fields: [
      { name: 'labels', type: FieldType.other, values: rows.map((r) => r.stream) },
      { name: 'Time', type: FieldType.time, values: rows.map(ms) },
      {
        name: 'Line',
        type: FieldType.string,
        values: rows.map((r) => (typeof r.line === 'string' ? r.line : JSON.stringify(r.line))),
      },
      { name: 'tsNs', type: FieldType.string, values: rows.map((r) => `${ms(r)}000000`) },
      { name: 'id', type: FieldType.string, values: rows.map((r, i) => `${ms(r)}_${i}`) },
    ],
  });
}

const orch = { env: 'dev', host: 'kici-sim', service: 'orchestrator', instance: 'orch-a' };
const agentStream = { env: 'dev', host: 'kici-sim', service: 'agent', instance: 'build-01-1a2b3c4d' };

/** One relayed webhook: ingress, run, dispatch, the agent's own and forwarded lines, a failed job. Out of time order. */
export const TRACE_ROWS: StreamLine[] = [
  {
    stream: orch,
    line: {
      level: 'info',
      message: 'Job dispatched',
      runId: RUN_ID,
      workflow: 'ci',
      job: 'build',
      status: 'dispatched',
      requestId: REQUEST_ID,
      routingKey: 'github:42',
      service: 'orchestrator',
      timestamp: '2026-11-24T06:00:01.000Z',
    },
  },
  {
    stream: orch,
    line: {
      level: 'info',
      message: 'Webhook relay stream started',
      deliveryId: DELIVERY_ID,
      event: 'push',
      requestId: REQUEST_ID,
      routingKey: 'github:42',
      service: 'orchestrator',
      timestamp: '2026-11-24T06:00:00.000Z',
    },
  },
  {
    stream: agentStream,
    line: {
      level: 'info',
      message: `Run: ${RUN_ID} | Trace: ${REQUEST_ID}`,
      requestId: REQUEST_ID,
      runId: RUN_ID,
      jobId: 'build',
      service: 'agent',
      timestamp: '2026-11-24T06:00:02.000Z',
    },
  },
  {
    stream: orch,
    line: {
      level: 'info',
      message: `Run: ${RUN_ID} | Trace: ${REQUEST_ID}`,
      service: 'agent',
      agentId: 'fc-linux-0a1b2c3d',
      runId: RUN_ID,
      requestId: REQUEST_ID,
      jobId: 'build',
      logsSource: 'firecracker-serial',
      timestamp: '2026-11-24T06:00:02.500Z',
    },
  },
  {
    stream: agentStream,
    line: {
      level: 'error',
      message: 'Job execution error',
      agentId: 'build-01-1a2b3c4d',
      error: 'Step "test" exited with code 1',
      requestId: REQUEST_ID,
      runId: RUN_ID,
      jobId: 'build',
      service: 'agent',
      timestamp: '2026-11-24T06:00:03.000Z',
    },
  },
];

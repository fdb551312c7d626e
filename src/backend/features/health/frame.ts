import type { Frame } from '../../protocol/types';
import type { CheckRow } from './checks';
import type { MatrixRow } from './matrix';

export function healthFrame(rows: CheckRow[], refId?: string): Frame {
  return {
    name: refId ?? 'health',
    fields: [
      { name: 'component', type: 'string', values: rows.map((r) => r.component) },
      { name: 'target', type: 'string', values: rows.map((r) => r.target) },
      { name: 'status', type: 'string', values: rows.map((r) => r.status) },
      {
        name: 'latency_ms',
        type: 'number',
        nullable: true,
        values: rows.map((r) => r.latencyMs),
        config: { unit: 'ms' },
      },
      { name: 'message', type: 'string', values: rows.map((r) => r.message) },
      { name: 'hint', type: 'string', values: rows.map((r) => r.hint) },
    ],
    meta: { preferredVisualisationType: 'table' },
  };
}

/** The health frame plus `last_success` and a numeric `up` (1 answered, 0 failed, empty otherwise) for alerting. */
export function healthMatrixFrame(rows: MatrixRow[], refId?: string): Frame {
  const base = healthFrame(rows, refId);
  const [component, target, ...rest] = base.fields;
  return {
    ...base,
    fields: [
      component,
      target,
      {
        name: 'instance',
        type: 'string',
        nullable: true,
        values: rows.map((r) => r.instance),
        config: { description: 'The orchestrator instance id answering at this URL, when known' },
      },
      ...rest,
      {
        name: 'last_success',
        type: 'time',
        nullable: true,
        values: rows.map((r) => r.lastSuccess),
        config: {
          displayName: 'Last success',
          description: 'Last time this check answered, since the datasource was (re)loaded',
        },
      },
      {
        name: 'up',
        type: 'number',
        nullable: true,
        values: rows.map((r) => (r.status === 'ok' || r.status === 'warning' ? 1 : r.status === 'error' ? 0 : null)),
        config: {
          description: '1 = answered (ok or warning), 0 = failing, empty = not configured or unknown',
          decimals: 0,
        },
      },
    ],
  };
}

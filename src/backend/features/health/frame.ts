import type { Frame } from '../../protocol/types';
import type { CheckRow } from './checks';

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

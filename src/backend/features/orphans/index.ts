// `orphanedConnections` query type and `GET orphans`: the Platform's count when configured, and the
// self-hosted analogues from the orchestrator database, each row labelled with where it comes from.
import { errorMessage } from '../../kici/errors';
import type { KiciSources } from '../../kici/sources';
import type { Frame } from '../../protocol/types';
import type { QueryHandler, ResourceRoute } from '../types';
import { platformFinding, readAnalogues, type OrphanFinding, type OrphanItem } from './findings';

export interface OrphansReport {
  findings: OrphanFinding[];
  items: OrphanItem[];
}

export async function orphansReport(sources: KiciSources, signal: AbortSignal): Promise<OrphansReport> {
  const platform = (async (): Promise<OrphanFinding> => {
    if (!sources.platform) {
      return platformFinding({ configured: false });
    }
    try {
      const r = await sources.platform.summary(signal);
      return platformFinding({ configured: true, count: r.data.orphanedConnections });
    } catch (err) {
      return platformFinding({ configured: true, error: errorMessage(err) });
    }
  })();
  const analogues = (async (): Promise<OrphansReport> => {
    if (!sources.db || !sources.schema) {
      return {
        findings: [
          {
            kind: 'stale_agent_connections',
            label: 'Orchestrator analogues',
            source: 'orchestrator analogue',
            count: null,
            status: 'not configured',
            rule: 'read from host_roster and cluster_instances in the orchestrator database',
            message: 'PostgreSQL is not configured (pgHost, pgDatabase, pgUser)',
          },
        ],
        items: [],
      };
    }
    const schema = await sources.schema(signal);
    return readAnalogues(sources.db, schema.objects.cluster_instances, signal);
  })();
  const [p, a] = await Promise.all([platform, analogues]);
  return { findings: [p, ...a.findings], items: a.items };
}

export function orphansFrame(findings: OrphanFinding[], refId: string): Frame {
  const col = <T>(f: (x: OrphanFinding) => T) => findings.map(f);
  return {
    name: refId,
    fields: [
      { name: 'kind', type: 'string', values: col((f) => f.kind) },
      { name: 'label', type: 'string', values: col((f) => f.label), config: { displayName: 'Finding' } },
      { name: 'source', type: 'string', values: col((f) => f.source), config: { displayName: 'Source' } },
      {
        name: 'count',
        type: 'number',
        nullable: true,
        values: col((f) => f.count),
        config: { displayName: 'Count', decimals: 0 },
      },
      { name: 'status', type: 'string', values: col((f) => f.status), config: { displayName: 'Status' } },
      { name: 'message', type: 'string', values: col((f) => f.message), config: { displayName: 'Message' } },
      { name: 'rule', type: 'string', values: col((f) => f.rule), config: { displayName: 'Rule' } },
    ],
    meta: { preferredVisualisationType: 'table' },
  };
}

export const orphansQuery: QueryHandler = async (query, env) => {
  const report = await orphansReport(env.sources, env.ctx.signal);
  return { frames: [orphansFrame(report.findings, query.refId)] };
};

export const orphansRoutes: ResourceRoute[] = [
  {
    method: 'GET',
    path: 'orphans',
    handler: async (_req, _params, env) => ({ status: 200, body: await orphansReport(env.sources, env.ctx.signal) }),
  },
];

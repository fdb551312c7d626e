// The simulated hosted KiCI Platform's REST routes behind `Authorization: Bearer <platform token>`.
// Unknown org -> 404 {"error":"Organization not found"}; bad token -> 401 {"error":"Unauthorized"}
// (the Platform's error bodies are not public; these are the sim's documented choice).
import { timingSafeEqual } from 'node:crypto';
import type { ScenarioSpec } from '../model';
import { parseBearer } from './auth';
import type { ClusterData } from './cluster-data';
import { diagnosticsInfrastructure, diagnosticsSummary } from './platform';
import { json, Router, type RouteContext, type SimResponse } from './router';

export interface PlatformDeps {
  spec: ScenarioSpec;
  data: ClusterData;
  reachable: (instanceId: string) => boolean;
  connectedAtMs: number;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createPlatformRouter(deps: PlatformDeps): Router {
  const platform = deps.spec.platform;
  if (!platform) {
    throw new Error(`scenario ${deps.spec.name} has no Platform`);
  }
  const guard = (ctx: RouteContext): SimResponse | null => {
    const header = ctx.req.headers.authorization;
    const token = parseBearer(Array.isArray(header) ? header[0] : header);
    if (!token || !sameSecret(token, platform.token)) {
      return json(401, { error: 'Unauthorized' });
    }
    if (ctx.params.org !== platform.org) {
      return json(404, { error: 'Organization not found' });
    }
    return null;
  };

  return new Router()
    .get('/health', () => json(200, { status: 'ok' }))
    .get('/api/v1/orgs/:org/diagnostics', async (ctx) => {
      const denied = guard(ctx);
      if (denied) {
        return denied;
      }
      const s = await deps.data.snapshot();
      const e = s.execution24h;
      return json(
        200,
        diagnosticsSummary(
          {
            totalRuns: e.totalRuns,
            successRate: e.finishedRuns === 0 ? 0 : Math.round((e.successRuns / e.finishedRuns) * 10000) / 10000,
            avgDurationSeconds: e.avgDurationSeconds ?? 0,
            queuedJobs: s.dispatchQueue.pending,
            runningJobs: s.runningJobs,
          },
          platform.orphanedConnections
        )
      );
    })
    .get('/api/v1/orgs/:org/diagnostics/infrastructure', async (ctx) => {
      const denied = guard(ctx);
      if (denied) {
        return denied;
      }
      const s = await deps.data.snapshot();
      return json(
        200,
        diagnosticsInfrastructure({
          spec: deps.spec,
          roster: s.roster,
          raft: s.raft,
          reachable: deps.reachable,
          routingKeys: s.routingKeys,
          runningJobsByAgent: s.runningJobsByAgent,
          queuedJobs: s.dispatchQueue.pending,
          connectedAtMs: deps.connectedAtMs,
          nowMs: Date.now(),
        })
      );
    });
}

// `GET infrastructure` (the page's JSON model) and the `infrastructure` table query type.
import type { KiciSources } from '../../kici/sources';
import type { FeatureEnv, QueryHandler, ResourceRoute } from '../types';
import { infrastructureFrame } from './frame';
import { InfrastructureService } from './service';
import { parseInfrastructureSettings } from './settings';

export { InfrastructureService } from './service';
export { parseInfrastructureSettings, type InfrastructureSettings } from './settings';

// One service per datasource instance: `sources` lives exactly as long as the instance.
const services = new WeakMap<KiciSources, InfrastructureService>();

export function infrastructureService(env: FeatureEnv): InfrastructureService {
  let s = services.get(env.sources);
  if (!s) {
    const { settings, findings } = parseInfrastructureSettings(env.ctx.plugin.datasource?.jsonData);
    for (const f of findings) {
      env.ctx.log.warn('invalid datasource setting', { setting: f.setting, problem: f.message });
    }
    s = new InfrastructureService(env.sources, settings);
    services.set(env.sources, s);
  }
  return s;
}

export const infrastructureQuery: QueryHandler = async (query, env) => {
  const model = await infrastructureService(env).snapshot(env.ctx.signal);
  return { frames: [infrastructureFrame(model, query.refId)] };
};

export const infrastructureRoutes: ResourceRoute[] = [
  {
    method: 'GET',
    path: 'infrastructure',
    handler: async (_req, _params, env) => ({
      status: 200,
      body: await infrastructureService(env).snapshot(env.ctx.signal),
    }),
  },
];

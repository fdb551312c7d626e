// One datasource instance: owns the KiCI sources (pool, clients) for one settings version and
// routes queries and resources to the feature modules.
import { DEFAULT_QUERY_TYPE, type QueryType } from '../datasource/query';
import { toPluginError } from './features/errors';
import { checkHealth } from './features/health';
import { parseInfrastructureSettings } from './features/infrastructure';
import { parseQueryModel } from './features/query-model';
import { disposeRedrive } from './features/redrive';
import { QUERY_HANDLERS, RESOURCE_ROUTES } from './features/registry';
import { createRouter, type Router } from './features/router';
import type { QueryHandler, ResourceRoute } from './features/types';
import { createKiciSources, type KiciSources } from './kici/sources';
import type {
  DataQuery,
  DatasourceInstance,
  DataSourceSettings,
  HealthResult,
  Logger,
  QueryResult,
  RequestContext,
  ResourceRequest,
  ResourceResponse,
} from './protocol/types';
import { PluginError } from './protocol/types';

export interface KiciDatasourceOptions {
  handlers?: Partial<Record<QueryType, QueryHandler>>;
  routes?: ResourceRoute[];
}

export class KiciDatasource implements DatasourceInstance {
  readonly sources: KiciSources;
  private readonly handlers: Partial<Record<QueryType, QueryHandler>>;
  private readonly router: Router;
  private readonly log: Logger;

  constructor(settings: DataSourceSettings, log: Logger, opts: KiciDatasourceOptions = {}) {
    this.log = log;
    this.sources = createKiciSources(settings, log);
    // The features' own settings are findings like the rest, so health reports every invalid setting.
    for (const f of parseInfrastructureSettings(settings.jsonData).findings) {
      this.sources.findings.push({ setting: f.setting, kind: 'invalid', message: f.message });
    }
    this.handlers = opts.handlers ?? QUERY_HANDLERS;
    this.router = createRouter(opts.routes ?? RESOURCE_ROUTES);
    for (const f of this.sources.findings) {
      if (f.kind === 'invalid') {
        log.warn('invalid datasource setting', { setting: f.setting, problem: f.message });
      }
    }
  }

  async checkHealth(ctx: RequestContext): Promise<HealthResult> {
    return checkHealth(this.sources, ctx.signal);
  }

  async query(query: DataQuery, ctx: RequestContext): Promise<QueryResult> {
    if (query.jsonError) {
      // The protocol layer's message may already carry the prefix.
      const detail = query.jsonError.replace(/^query JSON is not valid: /, '');
      throw new PluginError(`query JSON is not valid: ${detail}`, 400);
    }
    const model = parseQueryModel(query.json);
    const type = query.queryType || model.queryType || DEFAULT_QUERY_TYPE;
    const handler = Object.prototype.hasOwnProperty.call(this.handlers, type)
      ? this.handlers[type as QueryType]
      : undefined;
    if (!handler) {
      throw new PluginError(`unknown query type "${type}"; known types: ${Object.keys(this.handlers).join(', ')}`, 400);
    }
    try {
      return await handler(
        { refId: query.refId, queryType: type as QueryType, model, raw: query },
        { sources: this.sources, ctx }
      );
    } catch (err) {
      const e = toPluginError(err);
      (e.status >= 500 ? ctx.log.warn : ctx.log.debug).call(ctx.log, 'query failed', {
        queryType: type,
        status: e.status,
        error: e.message,
      });
      throw e;
    }
  }

  async callResource(req: ResourceRequest, ctx: RequestContext): Promise<ResourceResponse> {
    try {
      return await this.router(req, { sources: this.sources, ctx });
    } catch (err) {
      const e = toPluginError(err);
      if (e.status >= 500) {
        ctx.log.warn('resource failed', { path: req.path, method: req.method, status: e.status, error: e.message });
      }
      return { status: e.status, body: { error: e.message } };
    }
  }

  async dispose(): Promise<void> {
    // First: a running redrive still writes its state through the sources' settings.
    await disposeRedrive(this.sources);
    await this.sources.dispose();
  }
}

// Client for one orchestrator node: every route the plugin reads or calls, validated with zod.
// Admin routes carry the Bearer admin token; unauthenticated routes never see it.
import { HttpSource, type HttpResult } from './http';
import { backendDescriptorSchema, backendsListSchema, backendSyncSchema, backendTestSchema } from './schemas/backends';
import {
  clusterHealthSchema,
  clusterPeersSchema,
  clusterRunsSchema,
  diagnoseSchema,
  fleetTopologySchema,
} from './schemas/cluster';
import { dlqCountSchema, dlqDiscardSchema, dlqListSchema, dlqRetrySchema } from './schemas/dlq';
import { capabilitiesSchema, orchestratorHealthSchema, readySchema } from './schemas/health';
import { KiciSourceError } from './errors';

export interface OrchestratorClientOptions {
  baseUrl: string;
  timeoutMs: number;
  adminToken: string | null;
  maxResponseBytes?: number;
}

export class OrchestratorClient {
  readonly baseUrl: string;
  private readonly http: HttpSource;
  private readonly adminToken: string | null;

  constructor(opts: OrchestratorClientOptions) {
    this.http = new HttpSource({
      source: 'orchestrator',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      maxResponseBytes: opts.maxResponseBytes,
    });
    this.baseUrl = this.http.baseUrl;
    this.adminToken = opts.adminToken;
  }

  get hasAdminToken(): boolean {
    return this.adminToken !== null;
  }

  private token(route: string): string {
    if (!this.adminToken) {
      throw new KiciSourceError(`${this.baseUrl} ${route}: no admin token is configured`, {
        source: 'orchestrator',
        failure: 'not-configured',
        target: this.baseUrl,
        route,
        hint: 'set adminToken in the datasource settings',
      });
    }
    return this.adminToken;
  }

  // Unauthenticated
  health(signal?: AbortSignal) {
    return this.http.request({ method: 'GET', path: '/health', schema: orchestratorHealthSchema, signal });
  }
  /** 503 (not ready) is an answer, not an error. */
  ready(signal?: AbortSignal) {
    return this.http.request({ method: 'GET', path: '/ready', schema: readySchema, okStatuses: [200, 503], signal });
  }
  capabilities(signal?: AbortSignal) {
    return this.http.request({ method: 'GET', path: '/api/v1/capabilities', schema: capabilitiesSchema, signal });
  }
  clusterHealth(signal?: AbortSignal) {
    return this.http.request({ method: 'GET', path: '/cluster/health', schema: clusterHealthSchema, signal });
  }
  clusterPeers(signal?: AbortSignal) {
    return this.http.request({ method: 'GET', path: '/cluster/peers', schema: clusterPeersSchema, signal });
  }
  clusterRuns(signal?: AbortSignal) {
    return this.http.request({ method: 'GET', path: '/cluster/runs', schema: clusterRunsSchema, signal });
  }
  diagnose(signal?: AbortSignal) {
    return this.http.request({ method: 'GET', path: '/admin/diagnose', schema: diagnoseSchema, signal });
  }

  // Bearer admin token
  async fleetTopology(signal?: AbortSignal) {
    const path = '/admin/fleet-topology';
    return this.http.request({
      method: 'GET',
      path,
      schema: fleetTopologySchema,
      bearer: this.token(`GET ${path}`),
      signal,
    });
  }
  async dlqList(opts: { limit?: number; before?: string } = {}, signal?: AbortSignal) {
    const path = '/api/v1/admin/event-dlq';
    return this.http.request({
      method: 'GET',
      path,
      query: { limit: opts.limit, before: opts.before },
      schema: dlqListSchema,
      bearer: this.token(`GET ${path}`),
      signal,
    });
  }
  async dlqCount(signal?: AbortSignal) {
    const path = '/api/v1/admin/event-dlq/count';
    return this.http.request({
      method: 'GET',
      path,
      schema: dlqCountSchema,
      bearer: this.token(`GET ${path}`),
      signal,
    });
  }
  async dlqRetry(id: string, signal?: AbortSignal) {
    const path = `/api/v1/admin/event-dlq/${encodeURIComponent(id)}/retry`;
    return this.http.request({
      method: 'POST',
      path,
      schema: dlqRetrySchema,
      bearer: this.token(`POST ${path}`),
      signal,
    });
  }
  async dlqDiscard(id: string, signal?: AbortSignal) {
    const path = `/api/v1/admin/event-dlq/${encodeURIComponent(id)}`;
    return this.http.request({
      method: 'DELETE',
      path,
      schema: dlqDiscardSchema,
      bearer: this.token(`DELETE ${path}`),
      signal,
    });
  }
  async backends(signal?: AbortSignal) {
    const path = '/api/v1/admin/backends';
    return this.http.request({
      method: 'GET',
      path,
      schema: backendsListSchema,
      bearer: this.token(`GET ${path}`),
      signal,
    });
  }
  async backend(name: string, signal?: AbortSignal) {
    const path = `/api/v1/admin/backends/${encodeURIComponent(name)}`;
    return this.http.request({
      method: 'GET',
      path,
      schema: backendDescriptorSchema,
      bearer: this.token(`GET ${path}`),
      signal,
    });
  }
  async backendTest(name: string, signal?: AbortSignal) {
    const path = `/api/v1/admin/backends/${encodeURIComponent(name)}/test`;
    return this.http.request({
      method: 'POST',
      path,
      schema: backendTestSchema,
      bearer: this.token(`POST ${path}`),
      signal,
    });
  }
  async backendSync(name: string, signal?: AbortSignal) {
    const path = `/api/v1/admin/backends/${encodeURIComponent(name)}/sync`;
    return this.http.request({
      method: 'POST',
      path,
      schema: backendSyncSchema,
      bearer: this.token(`POST ${path}`),
      signal,
    });
  }
}

export type { HttpResult };

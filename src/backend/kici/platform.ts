// Client for the optional KiCI Platform: the diagnostics DTOs self-hosted orchestrators do not expose.
import { HttpSource } from './http';
import { platformInfrastructureSchema, platformSummarySchema } from './schemas/platform';
import type { PlatformSettings } from './settings';

export class PlatformClient {
  readonly baseUrl: string;
  readonly org: string;
  private readonly http: HttpSource;
  private readonly token: string;

  constructor(s: PlatformSettings, opts: { timeoutMs: number; maxResponseBytes?: number }) {
    this.http = new HttpSource({ source: 'platform', baseUrl: s.url, ...opts });
    this.baseUrl = this.http.baseUrl;
    this.org = s.org;
    this.token = s.token;
  }

  private orgPath(suffix: string): string {
    return `/api/v1/orgs/${encodeURIComponent(this.org)}/diagnostics${suffix}`;
  }

  summary(signal?: AbortSignal) {
    return this.http.request({
      method: 'GET',
      path: this.orgPath(''),
      schema: platformSummarySchema,
      bearer: this.token,
      signal,
    });
  }

  infrastructure(signal?: AbortSignal) {
    return this.http.request({
      method: 'GET',
      path: this.orgPath('/infrastructure'),
      schema: platformInfrastructureSchema,
      bearer: this.token,
      signal,
    });
  }
}

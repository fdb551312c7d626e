// The latest published orchestrator version (contract §10): a fixed value from the settings, the npm
// dist-tag of @kici-dev/orchestrator (cached for an hour), the Platform's own value, or none. No agent
// version is ever derived from it: @kici-dev/agent is not published.
import { z } from 'zod';

import { errorMessage } from '../../kici/errors';
import { HttpSource } from '../../kici/http';
import type { LatestVersionSource } from '../../../datasource/infrastructure/model';
import type { InfrastructureSettings } from './settings';

export const NPM_PACKAGE = '@kici-dev/orchestrator';
export const NPM_CACHE_MS = 60 * 60_000;
/** A failed lookup is retried sooner than a success, but not on every refresh. */
export const NPM_FAILURE_CACHE_MS = 60_000;

const packumentSchema = z.looseObject({ 'dist-tags': z.looseObject({ latest: z.string() }) });

export interface LatestVersion {
  version: string | null;
  source: LatestVersionSource;
  error: string | null;
}

export interface LatestVersionResolver {
  /** `platformValue`: the Platform DTO's latestVersion when the snapshot came from the Platform. */
  resolve(platformValue: string | null | undefined, signal?: AbortSignal): Promise<LatestVersion>;
}

export function createLatestVersionResolver(
  s: InfrastructureSettings,
  opts: { timeoutMs: number; now?: () => number }
): LatestVersionResolver {
  const now = opts.now ?? Date.now;
  let cached: { at: number; value: LatestVersion } | null = null;
  let inflight: Promise<LatestVersion> | null = null;

  const fromNpm = async (): Promise<LatestVersion> => {
    const http = new HttpSource({ source: 'orchestrator', baseUrl: s.npmRegistryUrl, timeoutMs: opts.timeoutMs });
    try {
      const r = await http.request({ method: 'GET', path: `/${NPM_PACKAGE}`, schema: packumentSchema });
      return { version: r.data['dist-tags'].latest, source: 'npm', error: null };
    } catch (err) {
      return { version: null, source: 'npm', error: `latest version from npm: ${errorMessage(err)}` };
    }
  };

  return {
    async resolve(platformValue) {
      switch (s.latestVersionSource) {
        case 'fixed':
          return s.latestVersion
            ? { version: s.latestVersion, source: 'fixed', error: null }
            : { version: null, source: 'fixed', error: 'latestVersionSource is fixed but latestVersion is not set' };
        case 'none':
          return { version: null, source: 'none', error: null };
        case 'npm': {
          if (cached && now() - cached.at < (cached.value.error ? NPM_FAILURE_CACHE_MS : NPM_CACHE_MS)) {
            return cached.value;
          }
          // Not tied to one caller's signal: the lookup serves everyone waiting on it.
          inflight ??= fromNpm().then((value) => {
            cached = { at: now(), value };
            inflight = null;
            return value;
          });
          return inflight;
        }
        default:
          return platformValue === undefined
            ? { version: null, source: 'none', error: null }
            : { version: platformValue ?? null, source: 'platform', error: null };
      }
    },
  };
}

// The Infrastructure feature's own datasource settings (jsonData), parsed like the rest: never throws,
// a bad value becomes a finding naming the setting and falls back to the safe default.
import { parseBaseUrl } from '../../kici/settings';

export const DEFAULT_NPM_REGISTRY_URL = 'https://registry.npmjs.org';
export const DEFAULT_CACHE_MS = 5_000;
export const MAX_CACHE_MS = 300_000;

export interface InfrastructureSettings {
  /** null = not set: the Platform's latestVersion when the Platform is configured, else none. */
  latestVersionSource: 'fixed' | 'npm' | 'none' | null;
  latestVersion: string | null;
  npmRegistryUrl: string;
  agentHealthPort: number | null;
  /** How long one built model is shared by all callers (single flight regardless). */
  cacheMs: number;
}

export interface InfrastructureFinding {
  setting: string;
  message: string;
}

const VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseInfrastructureSettings(jsonData: unknown): {
  settings: InfrastructureSettings;
  findings: InfrastructureFinding[];
} {
  const raw: Record<string, unknown> =
    jsonData && typeof jsonData === 'object' && !Array.isArray(jsonData) ? (jsonData as Record<string, unknown>) : {};
  const findings: InfrastructureFinding[] = [];
  const present = (k: string) => raw[k] !== undefined && raw[k] !== null && raw[k] !== '';

  let latestVersionSource: InfrastructureSettings['latestVersionSource'] = null;
  if (present('latestVersionSource')) {
    const v = raw.latestVersionSource;
    if (v === 'fixed' || v === 'npm' || v === 'none') {
      latestVersionSource = v;
    } else {
      findings.push({
        setting: 'latestVersionSource',
        message: `latestVersionSource must be fixed, npm or none (got ${JSON.stringify(v)})`,
      });
    }
  }

  let latestVersion: string | null = null;
  if (present('latestVersion')) {
    const v = typeof raw.latestVersion === 'string' ? raw.latestVersion.trim() : '';
    if (VERSION.test(v)) {
      latestVersion = v.replace(/^v/, '');
    } else {
      findings.push({
        setting: 'latestVersion',
        message: `latestVersion must be a version such as 0.9.1 (got ${JSON.stringify(raw.latestVersion)})`,
      });
    }
  }
  if (
    latestVersionSource === 'fixed' &&
    latestVersion === null &&
    !findings.some((f) => f.setting === 'latestVersion')
  ) {
    findings.push({ setting: 'latestVersion', message: 'latestVersionSource is fixed but latestVersion is not set' });
  }

  let npmRegistryUrl = DEFAULT_NPM_REGISTRY_URL;
  if (present('npmRegistryUrl')) {
    const r = parseBaseUrl(raw.npmRegistryUrl);
    if ('url' in r) {
      npmRegistryUrl = r.url;
    } else {
      findings.push({ setting: 'npmRegistryUrl', message: `npmRegistryUrl: ${r.error}` });
    }
  }

  let agentHealthPort: number | null = null;
  if (present('agentHealthPort')) {
    const v = typeof raw.agentHealthPort === 'string' ? Number(raw.agentHealthPort) : raw.agentHealthPort;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) {
      agentHealthPort = v;
    } else {
      findings.push({ setting: 'agentHealthPort', message: 'agentHealthPort must be a port number (1-65535)' });
    }
  }

  let cacheMs = DEFAULT_CACHE_MS;
  if (present('infrastructureCacheMs')) {
    const v =
      typeof raw.infrastructureCacheMs === 'string' ? Number(raw.infrastructureCacheMs) : raw.infrastructureCacheMs;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_CACHE_MS) {
      cacheMs = v;
    } else {
      findings.push({
        setting: 'infrastructureCacheMs',
        message: `infrastructureCacheMs must be a whole number of milliseconds from 0 to ${MAX_CACHE_MS}`,
      });
    }
  }

  return { settings: { latestVersionSource, latestVersion, npmRegistryUrl, agentHealthPort, cacheMs }, findings };
}

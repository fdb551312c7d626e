// Datasource settings -> typed KiCI settings. Never throws: whatever is missing or wrong becomes a
// finding that names the setting, and the rest of the settings stay usable.
import { z } from 'zod';

import {
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_PG_MAX_CONNECTIONS,
  DEFAULT_PG_PORT,
  DEFAULT_PG_STATEMENT_TIMEOUT_MS,
  type PostgresSslMode,
} from '../../datasource/query';
import { redactUrl } from '../protocol/redact';

export interface PgSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  /** Empty when not set (trust / peer auth). */
  password: string;
  sslMode: PostgresSslMode;
  caCert?: string;
  maxConnections: number;
  statementTimeoutMs: number;
}

export interface PlatformSettings {
  url: string;
  org: string;
  token: string;
}

export interface KiciSettings {
  /** null when PostgreSQL is not (fully or validly) configured. */
  pg: PgSettings | null;
  /** Why `pg` is null, or `ok`. */
  pgState: 'ok' | 'not configured' | 'incomplete' | 'invalid';
  /** Valid, de-duplicated base URLs without a trailing slash. */
  orchestratorUrls: string[];
  httpTimeoutMs: number;
  adminToken: string | null;
  platform: PlatformSettings | null;
  discardMinRole: 'Editor' | 'Admin';
  /** Port of the agents' /health and /ready; null = agents are not probed. */
  agentHealthPort: number | null;
}

export type FindingKind = 'not configured' | 'invalid';

export interface SettingsFinding {
  /** The jsonData / secureJsonData key, e.g. `pgHost`. */
  setting: string;
  kind: FindingKind;
  message: string;
}

export interface ParsedSettings {
  settings: KiciSettings;
  findings: SettingsFinding[];
}

export const MAX_HTTP_TIMEOUT_MS = 120_000;
export const MAX_PG_CONNECTIONS = 50;
export const MAX_PG_STATEMENT_TIMEOUT_MS = 600_000;

// Provisioning YAML and older config editors may store numbers as strings.
// Decimal only: Number('0x97B1') is 38833, which no one meant as a port.
const intFrom = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? (/^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN) : v),
    z.number({ error: 'must be a whole decimal number' }).int('must be a whole decimal number').min(min).max(max)
  );

const trimmed = z.string().trim();

const FIELDS = {
  pgHost: trimmed
    .min(1)
    .refine(
      (h) => !h.includes('@'),
      'must not carry credentials (user@ or user:password@): set pgUser and the password instead'
    )
    .regex(/^[^\s/]+$/, 'a host name or address, without a scheme or path')
    .refine((h) => !/^[^:]+:\d+$/.test(h), 'put the port in pgPort, not in pgHost'),
  pgPort: intFrom(1, 65535),
  pgDatabase: trimmed.min(1),
  pgUser: trimmed.min(1),
  pgSslMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']),
  pgMaxConnections: intFrom(1, MAX_PG_CONNECTIONS),
  pgStatementTimeoutMs: intFrom(100, MAX_PG_STATEMENT_TIMEOUT_MS),
  httpTimeoutMs: intFrom(100, MAX_HTTP_TIMEOUT_MS),
  platformOrg: trimmed.min(1),
  discardMinRole: z.enum(['Editor', 'Admin']),
  agentHealthPort: intFrom(1, 65535),
} as const;

type FieldName = keyof typeof FIELDS;

function describeIssue(err: z.ZodError): string {
  // The first failed rule is the one to fix (a credential in pgHost also breaks its shape rule).
  return err.issues[0]?.message ?? 'invalid';
}

// What Node refuses in an HTTP header value (its checkInvalidHeaderChar): a token holding one cannot be sent.
const HEADER_UNSAFE = /[^\t\x20-\x7e\x80-\xff]/;

/** Normalises an orchestrator or Platform base URL, or explains why it is not one. */
export function parseBaseUrl(raw: unknown): { url: string } | { error: string } {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { error: 'must be a non-empty http(s) URL' };
  }
  const shown = redactUrl(raw.trim());
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { error: `"${shown}" is not a URL (expected e.g. http://orch-a:4000)` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { error: `"${shown}" must use http or https` };
  }
  // `http://user/pass@host` parses as host `user` with `@` in the path: an `@` anywhere is taken as credentials.
  if (u.username || u.password || raw.includes('@')) {
    return { error: `"${shown}" must not carry credentials in the URL (use the admin token setting)` };
  }
  if (u.search || u.hash) {
    return { error: `"${shown}" must not have a query string or fragment` };
  }
  // KICI_BASE_PATH may put the app under a path: keep it, without the trailing slash.
  const path = u.pathname.replace(/\/+$/, '');
  return { url: `${u.protocol}//${u.host}${path}` };
}

export function parseSettings(jsonData: unknown, secure: Record<string, string> | undefined): ParsedSettings {
  const findings: SettingsFinding[] = [];
  const raw: Record<string, unknown> =
    jsonData && typeof jsonData === 'object' && !Array.isArray(jsonData) ? (jsonData as Record<string, unknown>) : {};
  if (jsonData !== undefined && jsonData !== null && raw !== jsonData) {
    findings.push({ setting: 'jsonData', kind: 'invalid', message: 'jsonData must be a JSON object' });
  }
  const sec = secure ?? {};

  const present = (key: string) => raw[key] !== undefined && raw[key] !== null && raw[key] !== '';
  function field<K extends FieldName>(key: K): z.output<(typeof FIELDS)[K]> | undefined {
    if (!present(key)) {
      return undefined;
    }
    const r = FIELDS[key].safeParse(raw[key]);
    if (!r.success) {
      findings.push({ setting: key, kind: 'invalid', message: `${key}: ${describeIssue(r.error)}` });
      return undefined;
    }
    return r.data as z.output<(typeof FIELDS)[K]>;
  }
  const secret = (key: string): string | undefined => {
    const v = sec[key];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  /** A bearer token: trimmed, and refused (without showing it) when a header cannot carry it. */
  const token = (key: 'adminToken' | 'platformToken'): string | undefined => {
    const v = secret(key)?.trim();
    if (v !== undefined && HEADER_UNSAFE.test(v)) {
      findings.push({
        setting: key,
        kind: 'invalid',
        message: `${key} contains a line break or another control character: paste the token again without it`,
      });
      return undefined;
    }
    return v;
  };

  // PostgreSQL
  const pgHost = field('pgHost');
  const pgPort = field('pgPort');
  const pgDatabase = field('pgDatabase');
  const pgUser = field('pgUser');
  const pgSslMode = field('pgSslMode');
  const pgMaxConnections = field('pgMaxConnections');
  const pgStatementTimeoutMs = field('pgStatementTimeoutMs');
  const pgCaCert = secret('pgCaCert');
  let pg: PgSettings | null = null;
  let pgState: KiciSettings['pgState'] = 'not configured';
  const pgTouched = ['pgHost', 'pgDatabase', 'pgUser'].some(present);
  if (!pgTouched) {
    findings.push({
      setting: 'pgHost',
      kind: 'not configured',
      message: 'PostgreSQL is not configured (pgHost, pgDatabase, pgUser)',
    });
  } else {
    const missing = (['pgHost', 'pgDatabase', 'pgUser'] as const).filter((k) => !present(k));
    for (const k of missing) {
      findings.push({ setting: k, kind: 'not configured', message: `${k} is required to reach PostgreSQL` });
    }
    if (pgCaCert !== undefined && !pgCaCert.includes('-----BEGIN CERTIFICATE-----')) {
      findings.push({ setting: 'pgCaCert', kind: 'invalid', message: 'pgCaCert must be a PEM certificate' });
    }
    pgState = missing.length ? 'incomplete' : 'invalid';
    // A wrong port or sslmode must not silently fall back to the default.
    const pgInvalid = findings.some((f) => f.setting.startsWith('pg') && f.kind === 'invalid');
    if (pgHost && pgDatabase && pgUser && !pgInvalid) {
      pgState = 'ok';
      pg = {
        host: pgHost,
        port: pgPort ?? DEFAULT_PG_PORT,
        database: pgDatabase,
        user: pgUser,
        password: sec.pgPassword ?? '',
        sslMode: pgSslMode ?? 'disable',
        caCert: pgCaCert,
        maxConnections: pgMaxConnections ?? DEFAULT_PG_MAX_CONNECTIONS,
        statementTimeoutMs: pgStatementTimeoutMs ?? DEFAULT_PG_STATEMENT_TIMEOUT_MS,
      };
    }
  }

  // Orchestrators
  const orchestratorUrls: string[] = [];
  const rawUrls = raw.orchestratorUrls;
  const urlList =
    typeof rawUrls === 'string'
      ? rawUrls.split(/[\s,]+/).filter(Boolean)
      : Array.isArray(rawUrls)
        ? rawUrls
        : undefined;
  if (rawUrls !== undefined && rawUrls !== null && urlList === undefined) {
    findings.push({ setting: 'orchestratorUrls', kind: 'invalid', message: 'orchestratorUrls must be a list of URLs' });
  }
  for (const [i, entry] of (urlList ?? []).entries()) {
    const r = parseBaseUrl(entry);
    if ('error' in r) {
      findings.push({ setting: 'orchestratorUrls', kind: 'invalid', message: `orchestratorUrls[${i}]: ${r.error}` });
    } else if (!orchestratorUrls.includes(r.url)) {
      orchestratorUrls.push(r.url);
    }
  }
  if (orchestratorUrls.length === 0 && !(urlList ?? []).length) {
    findings.push({
      setting: 'orchestratorUrls',
      kind: 'not configured',
      message: 'no orchestrator URL is configured (orchestratorUrls, e.g. http://orch-a:4000)',
    });
  }

  const httpTimeoutMs = field('httpTimeoutMs') ?? DEFAULT_HTTP_TIMEOUT_MS;
  const adminToken = token('adminToken') ?? null;

  // Platform: all three or nothing.
  let platform: PlatformSettings | null = null;
  const platformParts = {
    platformUrl: present('platformUrl'),
    platformOrg: present('platformOrg'),
    platformToken: !!secret('platformToken'),
  };
  if (Object.values(platformParts).some(Boolean)) {
    const missing = Object.entries(platformParts)
      .filter(([, v]) => !v)
      .map(([k]) => k);
    for (const k of missing) {
      findings.push({
        setting: k,
        kind: 'not configured',
        message: `${k} is required with the other Platform settings (platformUrl, platformOrg, platformToken)`,
      });
    }
    const url = present('platformUrl') ? parseBaseUrl(raw.platformUrl) : undefined;
    if (url && 'error' in url) {
      findings.push({ setting: 'platformUrl', kind: 'invalid', message: `platformUrl: ${url.error}` });
    }
    const org = field('platformOrg');
    const platformToken = platformParts.platformToken ? token('platformToken') : undefined;
    if (url && 'url' in url && org && platformToken) {
      platform = { url: url.url, org, token: platformToken };
    }
  }

  return {
    settings: {
      pg,
      pgState,
      orchestratorUrls,
      httpTimeoutMs,
      adminToken,
      platform,
      discardMinRole: field('discardMinRole') ?? 'Admin',
      agentHealthPort: field('agentHealthPort') ?? null,
    },
    findings,
  };
}

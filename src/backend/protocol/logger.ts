import { redactUrlsIn } from './redact';
import type { Logger } from './types';

// go-hclog JSON lines on stderr: Grafana's plugin client turns `@level`/`@message`/`@timestamp` into a structured
// entry of the plugin's logger and every other key into a key/value pair.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** Reads the level from `GF_PLUGIN_LOG_LEVEL` (then `LOG_LEVEL`); unknown values fall back to info. */
export function levelFromEnv(env: NodeJS.ProcessEnv): LogLevel {
  const raw = (env.GF_PLUGIN_LOG_LEVEL ?? env.LOG_LEVEL ?? '').trim().toLowerCase();
  if (raw === 'warning') {
    return 'warn';
  }
  return raw in LEVEL_RANK ? (raw as LogLevel) : 'info';
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Go layout `2006-01-02T15:04:05.000000Z07:00`: exactly six fractional digits (hclog's format; three digits make
 * Grafana fall back to raw DEBUG text). `epochMicros` is microseconds since the epoch, written in UTC (`Z`).
 */
export function formatTimestamp(epochMicros: number): string {
  const micros = Math.floor(epochMicros);
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  const fraction = pad(d.getUTCMilliseconds() * 1000 + (micros - ms * 1000), 6);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${fraction}Z`
  );
}

/** Microseconds since the epoch, finer than Date.now() where the runtime allows. */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

// Every string that reaches stderr passes through redactUrlsIn: a URL-ish setting or a library's error quoting
// one never puts userinfo, a query string or a fragment into Grafana's logs.
function jsonValue(value: unknown): unknown {
  if (value instanceof Error) {
    return redactUrlsIn(value.message);
  }
  if (typeof value === 'string') {
    return redactUrlsIn(value);
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  return value;
}

/** One hclog line (without the newline). Reserved keys win over fields of the same name. */
export function formatLine(level: LogLevel, message: string, fields: Record<string, unknown>, epochMicros: number) {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) {
      record[key] = jsonValue(value);
    }
  }
  record['@level'] = level;
  record['@message'] = redactUrlsIn(message);
  record['@timestamp'] = formatTimestamp(epochMicros);
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify({ '@level': level, '@message': message, '@timestamp': record['@timestamp'] });
  }
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to a synchronous write on stderr. */
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
  clock?: () => number;
}

export interface HclogLogger extends Logger {
  trace(message: string, fields?: Record<string, unknown>): void;
  with(fields: Record<string, unknown>): HclogLogger;
  readonly level: LogLevel;
}

export function createLogger(options: LoggerOptions = {}): HclogLogger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const clock = options.clock ?? nowMicros;
  const base = options.fields ?? {};
  const min = LEVEL_RANK[level];
  const log = (l: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVEL_RANK[l] >= min) {
      write(formatLine(l, message, fields ? { ...base, ...fields } : base, clock()));
    }
  };
  return {
    level,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    with: (fields) => createLogger({ level, write, clock, fields: { ...base, ...fields } }),
  };
}

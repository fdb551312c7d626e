import { createLogger, formatLine, formatTimestamp, levelFromEnv, nowMicros } from './logger';

// Go's `2006-01-02T15:04:05.000000Z07:00`.
const GO_LAYOUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

describe('formatTimestamp', () => {
  it('writes exactly six fractional digits in UTC', () => {
    expect(formatTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000 + 9)).toBe('2026-01-02T03:04:05.678009Z');
    expect(formatTimestamp(Date.UTC(2026, 10, 24, 23, 59, 59, 0) * 1000)).toBe('2026-11-24T23:59:59.000000Z');
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00.000000Z');
  });

  it('matches the Go layout for the current time', () => {
    const ts = formatTimestamp(nowMicros());
    expect(ts).toMatch(GO_LAYOUT);
    expect(Math.abs(Date.parse(ts) - Date.now())).toBeLessThan(60_000);
  });
});

describe('formatLine', () => {
  it('puts the hclog keys and the extra fields in one JSON object', () => {
    const line = JSON.parse(formatLine('warn', 'slow query', { refId: 'A', err: new Error('boom'), n: 5n }, 1e15));
    expect(line).toEqual({
      '@level': 'warn',
      '@message': 'slow query',
      '@timestamp': '2001-09-09T01:46:40.000000Z',
      refId: 'A',
      err: 'boom',
      n: '5',
    });
  });

  it('does not let a field overwrite the reserved keys', () => {
    const line = JSON.parse(formatLine('info', 'm', { '@level': 'error', '@message': 'x' }, 0));
    expect(line['@level']).toBe('info');
    expect(line['@message']).toBe('m');
  });
});

describe('createLogger', () => {
  it('filters by level and carries fields from with()', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', write: (l) => lines.push(l), clock: () => 0 });
    log.debug('hidden');
    log.with({ uid: 'ds1' }).info('shown', { refId: 'B' });
    log.error('bad');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { '@level': 'info', '@message': 'shown', '@timestamp': '1970-01-01T00:00:00.000000Z', uid: 'ds1', refId: 'B' },
      { '@level': 'error', '@message': 'bad', '@timestamp': '1970-01-01T00:00:00.000000Z' },
    ]);
  });

  it('reads the level from the environment', () => {
    expect(levelFromEnv({ GF_PLUGIN_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(levelFromEnv({ GF_PLUGIN_LOG_LEVEL: 'warning' })).toBe('warn');
    expect(levelFromEnv({ GF_PLUGIN_LOG_LEVEL: 'loud' })).toBe('info');
    expect(levelFromEnv({})).toBe('info');
  });
});

describe('URL credentials on stderr (issue 14 item 2)', () => {
  it('redacts userinfo, query and fragment of any URL in the message, a string field or an error', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    log.warn('fetch http://u:SECRET1@h:1/x failed', {
      url: 'https://registry.example/?token=SECRET2#SECRET3',
      error: new Error('connect ftp://SECRET4@h refused'),
    });
    const rec = JSON.parse(lines[0]);
    expect(rec['@message']).toBe('fetch http://[redacted]@h:1/x failed');
    expect(rec.url).toBe('https://registry.example/?[redacted]#[redacted]');
    expect(rec.error).toBe('connect ftp://[redacted]@h refused');
  });
});

import { parseBaseUrl, parseSettings } from './settings';

const full = {
  pgHost: 'db.internal',
  pgPort: 6432,
  pgDatabase: 'kici',
  pgUser: 'kici_reader',
  pgSslMode: 'verify-full',
  pgMaxConnections: 3,
  pgStatementTimeoutMs: 2500,
  orchestratorUrls: ['http://orch-a:4000/', 'https://orch-b.example.com/kici', 'http://orch-a:4000'],
  httpTimeoutMs: 1500,
  platformUrl: 'https://platform.example.com',
  platformOrg: 'acme',
  discardMinRole: 'Editor',
};
const secrets = {
  pgPassword: 's3cret',
  pgCaCert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  adminToken: ' abc123 ',
  platformToken: 'plat',
};

describe('parseSettings', () => {
  it('parses a complete configuration with no findings', () => {
    const { settings, findings } = parseSettings(full, secrets);
    expect(findings).toEqual([]);
    expect(settings.pg).toEqual({
      host: 'db.internal',
      port: 6432,
      database: 'kici',
      user: 'kici_reader',
      password: 's3cret',
      sslMode: 'verify-full',
      caCert: secrets.pgCaCert,
      maxConnections: 3,
      statementTimeoutMs: 2500,
    });
    expect(settings.orchestratorUrls).toEqual(['http://orch-a:4000', 'https://orch-b.example.com/kici']);
    expect(settings.httpTimeoutMs).toBe(1500);
    expect(settings.adminToken).toBe('abc123');
    expect(settings.platform).toEqual({ url: 'https://platform.example.com', org: 'acme', token: 'plat' });
    expect(settings.discardMinRole).toBe('Editor');
  });

  it('applies defaults for optional settings', () => {
    const { settings, findings } = parseSettings(
      { pgHost: 'db', pgDatabase: 'kici', pgUser: 'u', orchestratorUrls: ['http://o:4000'] },
      {}
    );
    expect(findings).toEqual([]);
    expect(settings.pg).toMatchObject({
      port: 5432,
      sslMode: 'disable',
      maxConnections: 5,
      statementTimeoutMs: 10000,
      password: '',
    });
    expect(settings.httpTimeoutMs).toBe(5000);
    expect(settings.adminToken).toBeNull();
    expect(settings.platform).toBeNull();
    expect(settings.discardMinRole).toBe('Admin');
  });

  it('reports what is not configured when nothing is set, without throwing', () => {
    for (const empty of [{}, undefined, null]) {
      const { settings, findings } = parseSettings(empty, {});
      expect(settings.pg).toBeNull();
      expect(settings.orchestratorUrls).toEqual([]);
      expect(findings.map((f) => [f.setting, f.kind])).toEqual([
        ['pgHost', 'not configured'],
        ['orchestratorUrls', 'not configured'],
      ]);
    }
  });

  it('names each missing PostgreSQL setting once the host is set', () => {
    const { settings, findings } = parseSettings({ pgHost: 'db', orchestratorUrls: ['http://o:4000'] }, {});
    expect(settings.pg).toBeNull();
    expect(settings.pgState).toBe('incomplete');
    expect(findings.map((f) => f.setting)).toEqual(['pgDatabase', 'pgUser']);
  });

  it('does not fall back to defaults when a PostgreSQL setting is invalid', () => {
    const { settings } = parseSettings({ pgHost: 'db', pgDatabase: 'k', pgUser: 'u', pgPort: 'x' }, {});
    expect(settings.pg).toBeNull();
    expect(settings.pgState).toBe('invalid');
  });

  it('names invalid values and keeps the valid rest', () => {
    const { settings, findings } = parseSettings(
      {
        pgHost: 'db:5432',
        pgDatabase: 'kici',
        pgUser: 'u',
        pgPort: 70000,
        pgSslMode: 'prefer',
        httpTimeoutMs: 'soon',
        orchestratorUrls: ['ftp://x', 'not a url', 'http://good:4000', 'http://user:pw@h:1'],
      },
      { pgCaCert: 'nope' }
    );
    const bySetting = findings.map((f) => `${f.setting}|${f.kind}`);
    expect(bySetting).toEqual([
      'pgHost|invalid',
      'pgPort|invalid',
      'pgSslMode|invalid',
      'pgCaCert|invalid',
      'orchestratorUrls|invalid',
      'orchestratorUrls|invalid',
      'orchestratorUrls|invalid',
      'httpTimeoutMs|invalid',
    ]);
    expect(findings[0].message).toContain('pgPort');
    expect(findings[4].message).toContain('orchestratorUrls[0]');
    expect(findings[6].message).not.toContain('pw');
    expect(settings.orchestratorUrls).toEqual(['http://good:4000']);
    expect(settings.httpTimeoutMs).toBe(5000);
    expect(settings.pg).toBeNull();
  });

  it('accepts numbers given as strings and a comma-separated URL list', () => {
    const { settings, findings } = parseSettings(
      { pgHost: 'db', pgDatabase: 'k', pgUser: 'u', pgPort: '5433', orchestratorUrls: 'http://a:4000, http://b:4000' },
      {}
    );
    expect(findings).toEqual([]);
    expect(settings.pg?.port).toBe(5433);
    expect(settings.orchestratorUrls).toEqual(['http://a:4000', 'http://b:4000']);
  });

  it('requires all Platform settings together', () => {
    const { settings, findings } = parseSettings(
      { ...full, platformOrg: undefined },
      { ...secrets, platformToken: '' }
    );
    expect(settings.platform).toBeNull();
    expect(findings.map((f) => [f.setting, f.kind])).toEqual([
      ['platformOrg', 'not configured'],
      ['platformToken', 'not configured'],
    ]);
  });

  it('never puts secrets into findings', () => {
    const { findings } = parseSettings(
      { pgHost: 'db', pgDatabase: 'k', pgUser: 'u', orchestratorUrls: [1] },
      { pgPassword: 'hunter2', pgCaCert: 'hunter2' }
    );
    expect(JSON.stringify(findings)).not.toContain('hunter2');
  });
});

describe('settings that carry credentials (issue 14 items 2 and 3)', () => {
  const base = { pgHost: 'db', pgDatabase: 'k', pgUser: 'u' };
  it.each([
    ['ftp://user:SECRET@host', 'orchestratorUrls[0]: "ftp://[redacted]@host" must use http or https'],
    ['http://user:SECRET@host:999999', 'orchestratorUrls[0]: "http://[redacted]@host:999999" is not a URL'],
    ['http://orch:4000/?token=SECRET', 'orchestratorUrls[0]: "http://orch:4000/?[redacted]" must not have'],
    ['http://orch:4000/#SECRET', 'orchestratorUrls[0]: "http://orch:4000/#[redacted]" must not have'],
    ['http://user:SECRET@orch:4000', 'orchestratorUrls[0]: "http://[redacted]@orch:4000" must not carry credentials'],
    ['http://user/SECRET@orch:4000', 'orchestratorUrls[0]: "http://[redacted]@orch:4000" must not carry credentials'],
  ])('orchestratorUrls %s is named without its secret', (url, shown) => {
    const { findings } = parseSettings({ ...base, orchestratorUrls: [url] }, {});
    expect(findings).toHaveLength(1);
    expect(findings[0].message.startsWith(shown)).toBe(true);
    expect(findings[0].message).not.toContain('SECRET');
  });

  it('names a malformed platformUrl without its secret', () => {
    const { findings } = parseSettings(
      {
        ...base,
        orchestratorUrls: ['http://o:1'],
        platformUrl: 'htp:/user:SECRET@platform?key=SECRET',
        platformOrg: 'a',
      },
      { platformToken: 't' }
    );
    expect(findings.map((f) => f.setting)).toEqual(['platformUrl']);
    expect(findings[0].message).not.toContain('SECRET');
  });

  it.each(['user:SECRET@db.internal', 'SECRET@db.internal'])('rejects credentials in pgHost (%s)', (host) => {
    const { settings, findings } = parseSettings({ ...base, pgHost: host, orchestratorUrls: ['http://o:1'] }, {});
    expect(settings.pg).toBeNull();
    expect(findings).toEqual([
      {
        setting: 'pgHost',
        kind: 'invalid',
        message: 'pgHost: must not carry credentials (user@ or user:password@): set pgUser and the password instead',
      },
    ]);
  });

  it.each([
    ['adminToken', 'abc\r\nX-Evil: 1'],
    ['adminToken', 'abc\ndef'],
    ['platformToken', 'p\rq'],
  ])('rejects a %s holding a line break, with a message that does not show it', (key, token) => {
    const { settings, findings } = parseSettings(
      { ...base, orchestratorUrls: ['http://o:1'], platformUrl: 'http://p:1', platformOrg: 'acme' },
      { adminToken: 'good', platformToken: 'good', [key]: token }
    );
    expect(findings).toEqual([
      {
        setting: key,
        kind: 'invalid',
        message: `${key} contains a line break or another control character: paste the token again without it`,
      },
    ]);
    expect(key === 'adminToken' ? settings.adminToken : settings.platform).toBeNull();
  });
});

describe('parseBaseUrl', () => {
  it('keeps a base path and drops trailing slashes', () => {
    expect(parseBaseUrl('http://orch:4000/kici/')).toEqual({ url: 'http://orch:4000/kici' });
    expect(parseBaseUrl('https://orch')).toEqual({ url: 'https://orch' });
  });
  it('rejects query strings', () => {
    expect(parseBaseUrl('http://orch:4000/?x=1')).toHaveProperty('error');
  });
});

describe('numbers in settings are decimal (issue 14 item 5)', () => {
  it.each(['0x97B1', '1e3', '0b101', ' 5432abc'])('pgPort %j is invalid, not read as a number', (port) => {
    const { settings, findings } = parseSettings({ pgHost: 'db', pgDatabase: 'k', pgUser: 'u', pgPort: port }, {});
    expect(settings.pg).toBeNull();
    expect(findings.filter((f) => f.setting === 'pgPort')).toEqual([
      { setting: 'pgPort', kind: 'invalid', message: 'pgPort: must be a whole decimal number' },
    ]);
  });
});

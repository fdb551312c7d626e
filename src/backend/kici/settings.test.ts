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

describe('parseBaseUrl', () => {
  it('keeps a base path and drops trailing slashes', () => {
    expect(parseBaseUrl('http://orch:4000/kici/')).toEqual({ url: 'http://orch:4000/kici' });
    expect(parseBaseUrl('https://orch')).toEqual({ url: 'https://orch' });
  });
  it('rejects query strings', () => {
    expect(parseBaseUrl('http://orch:4000/?x=1')).toHaveProperty('error');
  });
});

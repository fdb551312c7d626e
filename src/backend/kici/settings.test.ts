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

// Mutation testing (issue 20): what Save & test and the health rows show for each setting, in full.
describe('cleared and empty settings (issue 20)', () => {
  const notConfigured = [
    { setting: 'pgHost', kind: 'not configured', message: 'PostgreSQL is not configured (pgHost, pgDatabase, pgUser)' },
    {
      setting: 'orchestratorUrls',
      kind: 'not configured',
      message: 'no orchestrator URL is configured (orchestratorUrls, e.g. http://orch-a:4000)',
    },
  ];
  const fields = [
    'pgHost',
    'pgPort',
    'pgDatabase',
    'pgUser',
    'pgSslMode',
    'pgMaxConnections',
    'pgStatementTimeoutMs',
    'orchestratorUrls',
    'httpTimeoutMs',
    'platformUrl',
    'platformOrg',
    'discardMinRole',
    'agentHealthPort',
  ];

  it.each([
    ['"" from the config editor', ''],
    ['null from provisioning YAML', null],
  ])('every field cleared to %s is not configured, not invalid', (_label, value) => {
    const { settings, findings } = parseSettings(Object.fromEntries(fields.map((f) => [f, value])), {
      pgPassword: '',
      pgCaCert: '',
      adminToken: '   ',
      platformToken: '',
    });
    expect(findings).toEqual(notConfigured);
    expect(settings).toEqual({
      pg: null,
      pgState: 'not configured',
      orchestratorUrls: [],
      httpTimeoutMs: 5000,
      adminToken: null,
      platform: null,
      discardMinRole: 'Admin',
      agentHealthPort: null,
    });
  });

  it('no secureJsonData at all is the same as none set', () => {
    expect(parseSettings({}, undefined).findings).toEqual(notConfigured);
  });

  it.each([
    [[1, 2], 'an array'],
    ['kici', 'a string'],
    [42, 'a number'],
  ])('jsonData that is %j (%s) is named, and the rest reads as not configured', (jsonData, _what) => {
    expect(parseSettings(jsonData, {}).findings).toEqual([
      { setting: 'jsonData', kind: 'invalid', message: 'jsonData must be a JSON object' },
      ...notConfigured,
    ]);
  });
});

describe('orchestratorUrls as typed (issue 20)', () => {
  const pg = { pgHost: 'db', pgDatabase: 'k', pgUser: 'u' };

  it.each(['http://a:4000,', 'http://a:4000, ', ',http://a:4000', 'http://a:4000,,\n'])(
    'a stray comma or line break in %j is no error',
    (orchestratorUrls) => {
      const { settings, findings } = parseSettings({ ...pg, orchestratorUrls }, {});
      expect(findings).toEqual([]);
      expect(settings.orchestratorUrls).toEqual(['http://a:4000']);
    }
  );

  it('a list separated by spaces and line breaks, with a duplicate', () => {
    const { settings, findings } = parseSettings(
      { ...pg, orchestratorUrls: 'http://a:4000\nhttp://b:4000 http://a:4000/' },
      {}
    );
    expect(findings).toEqual([]);
    expect(settings.orchestratorUrls).toEqual(['http://a:4000', 'http://b:4000']);
  });

  it('a value that is neither a list nor a string is named once', () => {
    const { settings, findings } = parseSettings({ ...pg, orchestratorUrls: { a: 'http://a:4000' } }, {});
    expect(settings.orchestratorUrls).toEqual([]);
    expect(findings).toEqual([
      { setting: 'orchestratorUrls', kind: 'invalid', message: 'orchestratorUrls must be a list of URLs' },
      {
        setting: 'orchestratorUrls',
        kind: 'not configured',
        message: 'no orchestrator URL is configured (orchestratorUrls, e.g. http://orch-a:4000)',
      },
    ]);
  });

  it('only invalid entries: each is named, and no "not configured" on top', () => {
    const { settings, findings } = parseSettings({ ...pg, orchestratorUrls: ['nope', 7] }, {});
    expect(settings.orchestratorUrls).toEqual([]);
    expect(findings).toEqual([
      {
        setting: 'orchestratorUrls',
        kind: 'invalid',
        message: 'orchestratorUrls[0]: "nope" is not a URL (expected e.g. http://orch-a:4000)',
      },
      { setting: 'orchestratorUrls', kind: 'invalid', message: 'orchestratorUrls[1]: must be a non-empty http(s) URL' },
    ]);
  });
});

describe('PostgreSQL settings in full (issue 20)', () => {
  const pg = { pgHost: 'db', pgDatabase: 'k', pgUser: 'u', orchestratorUrls: ['http://o:1'] };

  it.each([
    ['pgPort', 1, 65535, 0, 65536],
    ['pgMaxConnections', 1, 50, 0, 51],
    ['pgStatementTimeoutMs', 100, 600000, 99, 600001],
  ] as const)('%s accepts %d to %d, and names %d and %d', (key, lo, hi, below, above) => {
    for (const ok of [lo, hi, ` ${hi} `]) {
      const { settings, findings } = parseSettings({ ...pg, [key]: ok }, {});
      expect(findings).toEqual([]);
      expect(settings.pgState).toBe('ok');
    }
    const field = {
      pgPort: 'port',
      pgMaxConnections: 'maxConnections',
      pgStatementTimeoutMs: 'statementTimeoutMs',
    } as const;
    expect(parseSettings({ ...pg, [key]: String(hi) }, {}).settings.pg?.[field[key]]).toBe(hi);
    for (const bad of [below, above, 1.5, '-1', true]) {
      const { settings, findings } = parseSettings({ ...pg, [key]: bad }, {});
      expect(findings).toEqual([{ setting: key, kind: 'invalid', message: `${key}: must be a whole decimal number` }]);
      expect(settings.pg).toBeNull();
      expect(settings.pgState).toBe('invalid');
    }
  });

  it.each([
    ['db/kici', 'pgHost: a host name or address, without a scheme or path'],
    ['postgres://db', 'pgHost: a host name or address, without a scheme or path'],
    ['db host', 'pgHost: a host name or address, without a scheme or path'],
    ['db:5432', 'pgHost: put the port in pgPort, not in pgHost'],
  ])('pgHost %j is refused: %s', (pgHost, message) => {
    const { settings, findings } = parseSettings({ ...pg, pgHost }, {});
    expect(findings).toEqual([{ setting: 'pgHost', kind: 'invalid', message }]);
    expect(settings.pg).toBeNull();
  });

  it('an IPv6 address and a host with spaces around it are accepted', () => {
    expect(parseSettings({ ...pg, pgHost: '::1' }, {}).settings.pg?.host).toBe('::1');
    expect(parseSettings({ ...pg, pgHost: '  db.internal ' }, {}).settings.pg?.host).toBe('db.internal');
  });

  it('an unknown sslmode is named with the allowed ones', () => {
    expect(parseSettings({ ...pg, pgSslMode: 'prefer' }, {}).findings).toEqual([
      {
        setting: 'pgSslMode',
        kind: 'invalid',
        message: 'pgSslMode: Invalid option: expected one of "disable"|"require"|"verify-ca"|"verify-full"',
      },
    ]);
  });

  it('names each missing setting, with what it is for', () => {
    const { settings, findings } = parseSettings({ pgUser: 'u', orchestratorUrls: ['http://o:1'] }, {});
    expect(findings).toEqual([
      { setting: 'pgHost', kind: 'not configured', message: 'pgHost is required to reach PostgreSQL' },
      { setting: 'pgDatabase', kind: 'not configured', message: 'pgDatabase is required to reach PostgreSQL' },
    ]);
    expect(settings.pgState).toBe('incomplete');
  });

  it.each(['pgHost', 'pgDatabase', 'pgUser'])('%s alone names the other two as required', (one) => {
    const { settings, findings } = parseSettings({ [one]: 'x', orchestratorUrls: ['http://o:1'] }, {});
    expect(findings.map((f) => [f.setting, f.kind])).toEqual(
      ['pgHost', 'pgDatabase', 'pgUser'].filter((k) => k !== one).map((k) => [k, 'not configured'])
    );
    expect(settings.pgState).toBe('incomplete');
  });

  it.each([
    [{ pgHost: 'db', pgUser: 'u' }, 'pgDatabase'],
    [{ pgDatabase: 'k', pgUser: 'u' }, 'pgHost'],
    [{ pgHost: 'db', pgDatabase: 'k' }, 'pgUser'],
  ])('two of the three PostgreSQL settings (%j) are no connection: %s is named', (two, missing) => {
    const { settings, findings } = parseSettings({ ...two, orchestratorUrls: ['http://o:1'] }, {});
    expect(findings).toEqual([
      { setting: missing, kind: 'not configured', message: `${missing} is required to reach PostgreSQL` },
    ]);
    expect(settings.pgState).toBe('incomplete');
    expect(settings.pg).toBeNull();
  });

  it('missing and invalid together read as incomplete', () => {
    const { settings } = parseSettings({ pgHost: 'db', pgPort: 'x', orchestratorUrls: ['http://o:1'] }, {});
    expect(settings.pgState).toBe('incomplete');
    expect(settings.pg).toBeNull();
  });

  it('a CA certificate that is not PEM is named; without PostgreSQL it is not looked at', () => {
    expect(parseSettings(pg, { pgCaCert: 'MIIB...' }).findings).toEqual([
      { setting: 'pgCaCert', kind: 'invalid', message: 'pgCaCert must be a PEM certificate' },
    ]);
    expect(parseSettings(pg, { pgCaCert: 'MIIB...' }).settings.pg).toBeNull();
    expect(parseSettings({ orchestratorUrls: ['http://o:1'] }, { pgCaCert: 'MIIB...' }).findings).toEqual([
      {
        setting: 'pgHost',
        kind: 'not configured',
        message: 'PostgreSQL is not configured (pgHost, pgDatabase, pgUser)',
      },
    ]);
  });

  it('settings outside PostgreSQL that are invalid leave PostgreSQL usable', () => {
    const { settings, findings } = parseSettings(
      { ...pg, httpTimeoutMs: 99, discardMinRole: 'Viewer', agentHealthPort: 0, platformUrl: 'ftp://p' },
      {}
    );
    expect(settings.pgState).toBe('ok');
    expect(settings.pg).not.toBeNull();
    expect(findings.map((f) => `${f.setting}|${f.kind}`)).toEqual([
      'httpTimeoutMs|invalid',
      'platformOrg|not configured',
      'platformToken|not configured',
      'platformUrl|invalid',
      'discardMinRole|invalid',
      'agentHealthPort|invalid',
    ]);
    expect(settings.discardMinRole).toBe('Admin');
    expect(settings.agentHealthPort).toBeNull();
    expect(settings.httpTimeoutMs).toBe(5000);
  });

  it('the agents health port and the HTTP timeout, as numbers or strings', () => {
    const { settings } = parseSettings({ ...pg, agentHealthPort: '9100', httpTimeoutMs: '120000' }, {});
    expect(settings.agentHealthPort).toBe(9100);
    expect(settings.httpTimeoutMs).toBe(120000);
    expect(parseSettings({ ...pg, httpTimeoutMs: 120001 }, {}).findings).toEqual([
      { setting: 'httpTimeoutMs', kind: 'invalid', message: 'httpTimeoutMs: must be a whole decimal number' },
    ]);
  });
});

describe('Platform and token settings in full (issue 20)', () => {
  const base = { pgHost: 'db', pgDatabase: 'k', pgUser: 'u', orchestratorUrls: ['http://o:1'] };
  const required = (k: string) => ({
    setting: k,
    kind: 'not configured',
    message: `${k} is required with the other Platform settings (platformUrl, platformOrg, platformToken)`,
  });

  it('a Platform token alone names the URL and the organisation', () => {
    const { settings, findings } = parseSettings(base, { platformToken: 'plat' });
    expect(findings).toEqual([required('platformUrl'), required('platformOrg')]);
    expect(settings.platform).toBeNull();
  });

  it('an invalid Platform URL is named and no Platform is used', () => {
    const { settings, findings } = parseSettings(
      { ...base, platformUrl: 'ftp://platform', platformOrg: 'acme' },
      { platformToken: 'plat' }
    );
    expect(findings).toEqual([
      { setting: 'platformUrl', kind: 'invalid', message: 'platformUrl: "ftp://platform" must use http or https' },
    ]);
    expect(settings.platform).toBeNull();
  });

  it('a Platform URL keeps its base path; the organisation and token are trimmed', () => {
    const { settings } = parseSettings(
      { ...base, platformUrl: 'https://p.example.com/kici/', platformOrg: ' acme ' },
      { platformToken: ' plat ' }
    );
    expect(settings.platform).toEqual({ url: 'https://p.example.com/kici', org: 'acme', token: 'plat' });
  });

  it('tokens with a tab or Latin-1 letters are sent; other control or wide characters are refused', () => {
    expect(parseSettings(base, { adminToken: 'a\tbé' }).settings.adminToken).toBe('a\tbé');
    for (const bad of ['a\x7fb', 'a\x00b', 'a\u2028b']) {
      const { settings, findings } = parseSettings(base, { adminToken: bad });
      expect(settings.adminToken).toBeNull();
      expect(findings).toEqual([
        {
          setting: 'adminToken',
          kind: 'invalid',
          message: 'adminToken contains a line break or another control character: paste the token again without it',
        },
      ]);
    }
  });

  it('a PostgreSQL password is passed as typed', () => {
    expect(parseSettings(base, { pgPassword: ' p w ' }).settings.pg?.password).toBe(' p w ');
  });
});

describe('parseBaseUrl: the message for each kind of wrong URL (issue 20)', () => {
  it.each([
    [undefined, 'must be a non-empty http(s) URL'],
    ['', 'must be a non-empty http(s) URL'],
    ['   ', 'must be a non-empty http(s) URL'],
    [4000, 'must be a non-empty http(s) URL'],
    ['orch-a', '"orch-a" is not a URL (expected e.g. http://orch-a:4000)'],
    ['ws://orch-a:4000', '"ws://orch-a:4000" must use http or https'],
    ['http://orch:4000/?x=1', '"http://orch:4000/?[redacted]" must not have a query string or fragment'],
    ['http://orch:4000/#top', '"http://orch:4000/#[redacted]" must not have a query string or fragment'],
    [
      'http://u@orch:4000',
      '"http://[redacted]@orch:4000" must not carry credentials in the URL (use the admin token setting)',
    ],
  ])('%j: %s', (raw, error) => {
    expect(parseBaseUrl(raw)).toEqual({ error });
  });

  it.each([
    [' http://orch:4000 ', 'http://orch:4000'],
    ['http://orch:4000/kici//', 'http://orch:4000/kici'],
    ['HTTPS://Orch:443/', 'https://orch'],
    ['http://orch:4000?', 'http://orch:4000'],
  ])('%j is %s', (raw, url) => {
    expect(parseBaseUrl(raw)).toEqual({ url });
  });
});

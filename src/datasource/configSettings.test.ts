import {
  isSecureConfigured,
  type KiciSettings,
  needsCaCert,
  parsePositiveInt,
  removeAt,
  replaceAt,
  urlProblem,
  withJsonData,
  withSecureReset,
  withSecureValue,
} from './configSettings';

const settings = (patch: Partial<KiciSettings> = {}): KiciSettings =>
  ({ id: 1, uid: 'kici', jsonData: { pgHost: 'db' }, secureJsonFields: {}, ...patch }) as KiciSettings;

describe('datasource settings helpers', () => {
  it('merges jsonData without touching other keys', () => {
    const next = withJsonData(settings(), { pgPort: 6543 });
    expect(next.jsonData).toEqual({ pgHost: 'db', pgPort: 6543 });
  });

  it('reads "configured" only from secureJsonFields', () => {
    const s = settings({ secureJsonFields: { pgPassword: true, adminToken: false } });
    expect(isSecureConfigured(s, 'pgPassword')).toBe(true);
    expect(isSecureConfigured(s, 'adminToken')).toBe(false);
    expect(isSecureConfigured(s, 'platformToken')).toBe(false);
  });

  it('sets a secret in secureJsonData and resets it to empty + unconfigured', () => {
    const typed = withSecureValue(settings(), 'adminToken', 'kici_abc');
    expect(typed.secureJsonData).toEqual({ adminToken: 'kici_abc' });
    const reset = withSecureReset(settings({ secureJsonFields: { adminToken: true } }), 'adminToken');
    expect(reset.secureJsonFields).toEqual({ adminToken: false });
    expect(reset.secureJsonData).toEqual({ adminToken: '' });
  });

  it('asks for a CA only for the verifying TLS modes', () => {
    expect([undefined, 'disable', 'require', 'verify-ca', 'verify-full'].map((m) => needsCaCert(m as never))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('parses whole positive numbers only', () => {
    expect(parsePositiveInt(' 5432 ')).toBe(5432);
    expect(parsePositiveInt('')).toBeUndefined();
    expect(parsePositiveInt('0')).toBeUndefined();
    expect(parsePositiveInt('-1')).toBeUndefined();
    expect(parsePositiveInt('1.5')).toBeUndefined();
    expect(parsePositiveInt('1e3')).toBeUndefined();
  });

  it('explains what is wrong with a base URL', () => {
    expect(urlProblem('http://kici-sim:4000')).toBeUndefined();
    expect(urlProblem('https://ci.example.com/kici')).toBeUndefined();
    expect(urlProblem('')).toMatch(/Enter a URL/);
    expect(urlProblem('kici-sim:4000')).toBe('Use http:// or https://');
    expect(urlProblem('not a url')).toBe('Not a valid URL');
    expect(urlProblem('http://admin:pw@kici:4000')).toMatch(/credentials/);
    expect(urlProblem('http://kici:4000/?x=1')).toMatch(/query string/);
  });

  it('replaces and removes list items by index without mutating', () => {
    const list = ['a', 'b', 'c'];
    expect(replaceAt(list, 1, 'B')).toEqual(['a', 'B', 'c']);
    expect(removeAt(list, 0)).toEqual(['b', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });
});

import { DEFAULT_NPM_REGISTRY_URL, parseInfrastructureSettings } from './settings';

describe('infrastructure settings', () => {
  it('defaults: latest version from the Platform (else none), npm registry, no agent probing', () => {
    expect(parseInfrastructureSettings(undefined)).toEqual({
      settings: {
        latestVersionSource: null,
        latestVersion: null,
        npmRegistryUrl: DEFAULT_NPM_REGISTRY_URL,
        agentHealthPort: null,
        cacheMs: 5000,
      },
      findings: [],
    });
  });

  it('reads a fixed version (without a leading v), a registry URL and an agent port given as a string', () => {
    const { settings, findings } = parseInfrastructureSettings({
      latestVersionSource: 'fixed',
      latestVersion: ' v0.9.1 ',
      npmRegistryUrl: 'http://127.0.0.1:4873/',
      agentHealthPort: '8080',
      infrastructureCacheMs: 0,
    });
    expect(findings).toEqual([]);
    expect(settings).toEqual({
      latestVersionSource: 'fixed',
      latestVersion: '0.9.1',
      npmRegistryUrl: 'http://127.0.0.1:4873',
      agentHealthPort: 8080,
      cacheMs: 0,
    });
  });

  it('names every bad setting and keeps the safe default', () => {
    const { settings, findings } = parseInfrastructureSettings({
      latestVersionSource: 'github',
      latestVersion: 'latest',
      npmRegistryUrl: 'ftp://mirror',
      agentHealthPort: 70000,
      infrastructureCacheMs: -1,
    });
    expect(settings).toEqual({
      latestVersionSource: null,
      latestVersion: null,
      npmRegistryUrl: DEFAULT_NPM_REGISTRY_URL,
      agentHealthPort: null,
      cacheMs: 5000,
    });
    expect(findings.map((f) => f.setting)).toEqual([
      'latestVersionSource',
      'latestVersion',
      'npmRegistryUrl',
      'agentHealthPort',
      'infrastructureCacheMs',
    ]);
    expect(findings[0].message).toBe('latestVersionSource must be fixed, npm or none (got "github")');
    expect(findings[2].message).toBe('npmRegistryUrl: "ftp://mirror" must use http or https');
  });

  it('fixed without a version is a finding', () => {
    expect(parseInfrastructureSettings({ latestVersionSource: 'fixed' }).findings).toEqual([
      { setting: 'latestVersion', message: 'latestVersionSource is fixed but latestVersion is not set' },
    ]);
  });
});

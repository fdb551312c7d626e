import { SHARED_DEPENDENCIES, sharedIdsAt } from './shared-dependencies';

// grafana/plugin-tools create-plugin externalize-jsx-runtime.ts: Grafana shares react/jsx-runtime in '>=11.6.11 <12',
// '>=12.0.10 <12.1', '>=12.1.7 <12.2', '>=12.2.5'. The browser host shares exactly sharedIdsAt(its version).
describe('sharedIdsAt', () => {
  it.each([
    ['11.6.0', false],
    ['11.6.10', false],
    ['11.6.11', true],
    ['12.0.9', false],
    ['12.0.10', true],
    ['12.1.6', false],
    ['12.1.7', true],
    ['12.2.4', false],
    ['12.2.5', true],
    ['12.3.0', true],
    ['12.4.2', true],
    ['13.0.0', true],
  ])('Grafana %s shares react/jsx-runtime: %s', (version, shared) => {
    expect(sharedIdsAt(version).includes('react/jsx-runtime')).toBe(shared);
  });

  it('answers with the newest row at or below the version, and refuses a version older than the table', () => {
    const row1320 = SHARED_DEPENDENCIES.find((row) => row.version === '13.2.0')!;
    expect(sharedIdsAt('13.9.1')).toEqual(row1320.ids);
    expect(sharedIdsAt('13.1.5')).not.toContain('react-dom/client');
    expect(() => sharedIdsAt('11.5.9')).toThrow('Grafana 11.5.9 is older than the table (11.6.0)');
  });
});

import { sharesJsxRuntime } from './grafanaVersion';

// grafana/plugin-tools create-plugin externalize-jsx-runtime.ts: '>=11.6.11 <12', '>=12.0.10 <12.1', '>=12.1.7 <12.2',
// '>=12.2.5'.
describe('sharesJsxRuntime', () => {
  it.each([
    ['11.5.9', false],
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
  ])('Grafana %s: %s', (version, shared) => {
    expect(sharesJsxRuntime(version)).toBe(shared);
  });
});

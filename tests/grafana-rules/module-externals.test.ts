// The frontend contract per Grafana version: every id a built module.js asks SystemJS for must be provided by every
// Grafana version its plugin.json admits. Facts and sources: shared-dependencies.ts. Needs `npm run build:frontend`
// (npm test runs it first).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  amdDependencies,
  beyondTable,
  react19VersionsInRange,
  REACT18_INTERNALS,
  rowsInRange,
  unprovidedIds,
} from './frontend-contract';

const repo = join(__dirname, '..', '..');

const MODULES = [
  { module: 'dist/module.js', pluginJson: 'dist/plugin.json' },
  { module: 'dist/datasource/module.js', pluginJson: 'dist/datasource/plugin.json' },
];

function read(relative: string): string {
  const path = join(repo, relative);
  if (!existsSync(path)) {
    throw new Error(`${relative} is missing: run \`npm run build:frontend\` first (npm test does)`);
  }
  return readFileSync(path, 'utf8');
}

function grafanaDependency(relative: string): string {
  return (JSON.parse(read(relative)) as { dependencies: { grafanaDependency: string } }).dependencies.grafanaDependency;
}

function javascriptFiles(dir: string): string[] {
  return readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(dir, name));
}

describe('the contract logic', () => {
  it('reads the define list of a webpack AMD bundle', () => {
    const source = '/* banner */\ndefine(["@grafana/data","module","react"],(e,t,r)=>(()=>{})());';
    expect(amdDependencies(source)).toEqual(['@grafana/data', 'module', 'react']);
    expect(() => amdDependencies('System.register([], function () {})')).toThrow('no AMD define([...]) found');
  });

  it('names every version in the range that lacks an external: react/jsx-runtime before its backports', () => {
    expect(unprovidedIds(['react', 'react/jsx-runtime', 'module'], '>=11.6.0 <13.0.0')).toEqual([
      { id: 'react/jsx-runtime', versions: ['11.6.0', '12.0.0', '12.1.0', '12.2.0'] },
    ]);
    expect(unprovidedIds(['react/jsx-runtime'], '>=12.2.5')).toEqual([]);
    expect(unprovidedIds(['react-dom/client'], '>=12.4.0 <13.0.0')).toEqual([
      { id: 'react-dom/client', versions: ['12.4.0'] },
    ]);
  });

  it('takes a range starting inside a minor at the row that covers it', () => {
    expect(rowsInRange('>=12.0.5 <12.1.0').map((row) => row.version)).toEqual(['12.0.0', '12.0.10']);
    expect(beyondTable('>=11.6.0')).toBe('>=13.3.0');
    expect(beyondTable('>=11.6.0 <13.0.0')).toBeNull();
    expect(react19VersionsInRange('>=11.6.0')).toEqual(['13.0.0', '13.1.0', '13.2.0']);
  });
});

describe.each(MODULES)('$module', ({ module, pluginJson }) => {
  it('asks only for modules every Grafana version in its grafanaDependency provides', () => {
    const range = grafanaDependency(pluginJson);
    expect(beyondTable(range)).toBeNull();
    expect(unprovidedIds(amdDependencies(read(module)), range)).toEqual([]);
  });
});

describe('React 19 (Grafana 13)', () => {
  it.each(MODULES)('$pluginJson admits no React 19 Grafana while dist carries React 18 internals', ({ pluginJson }) => {
    const react19 = react19VersionsInRange(grafanaDependency(pluginJson));
    const carrying = javascriptFiles('dist').filter((file) => read(file).includes(REACT18_INTERNALS));
    const conflict = react19.length && carrying.length ? { react19, carrying } : null;
    expect(conflict).toBeNull();
  });
});

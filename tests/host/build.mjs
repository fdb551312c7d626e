#!/usr/bin/env node
// Bundles the host page (tests/host/app/main.tsx) into tests/host/dist/ with esbuild.
//   node tests/host/build.mjs            minified, as Grafana ships its own bundle
//   HOST_DEV=1 node tests/host/build.mjs readable, with inline names
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, 'dist');
const dev = process.env.HOST_DEV === '1';
const started = Date.now();

await build({
  entryPoints: { main: join(here, 'app', 'main.tsx') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'), global: 'globalThis' },
  loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
  logLevel: 'warning',
  // systemjs declares "type": "script", which esbuild warns about; the files are plain scripts either way.
  logOverride: { 'package.json': 'silent' },
});
// The page always links main.css; some builds have no CSS imports.
if (!existsSync(join(outdir, 'main.css'))) {
  writeFileSync(join(outdir, 'main.css'), '');
}
console.log(`host bundle built in ${Date.now() - started} ms -> ${outdir}`);

#!/usr/bin/env node
// Bundles the host page (tests/host/app/main.tsx) with esbuild.
//   node tests/host/build.mjs                          minified, against the repository's own @grafana/* packages
//   node tests/host/build.mjs --root tests/host/lowest --outdir tests/host/dist-lowest
//                                                      the same page against the lowest Grafana the plugin declares
//   HOST_DEV=1 node tests/host/build.mjs               readable, with inline names
// --root is a package folder (its node_modules hold @grafana/*, react, …): every bare import of the host, and every
// deep import into node_modules, resolves there first. The Grafana version the page stands for is that folder's
// @grafana/runtime version; it is compiled in and written to <outdir>/build-info.json for the bridge.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const { values } = parseArgs({
  options: { root: { type: 'string', default: repo }, outdir: { type: 'string', default: join(here, 'dist') } },
});
const root = resolve(values.root);
const outdir = resolve(values.outdir);
const dev = process.env.HOST_DEV === '1';
const started = Date.now();

const runtimePkg = join(root, 'node_modules', '@grafana', 'runtime', 'package.json');
if (!existsSync(runtimePkg)) {
  throw new Error(`${root} has no node_modules/@grafana/runtime: install it first (npm ci --prefix ${values.root})`);
}
const grafanaVersion = JSON.parse(readFileSync(runtimePkg, 'utf8')).version;

/** Resolves the host's own imports from `root` (bare names and `…/node_modules/…` deep paths). */
const packageRoot = {
  name: 'package-root',
  setup(b) {
    if (root === repo) {
      return;
    }
    const repoModules = join(repo, 'node_modules') + sep;
    const fromHostApp = (importer) => importer.startsWith(join(here, 'app') + sep);
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (!fromHostApp(args.importer) || args.pluginData === 'package-root') {
        return undefined;
      }
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: root, pluginData: 'package-root' });
      // Packages the folder does not pin (systemjs) fall back to the repository's.
      return found.errors.length ? undefined : found;
    });
    b.onResolve({ filter: /node_modules\// }, (args) => {
      const abs = resolve(args.resolveDir, args.path);
      return fromHostApp(args.importer) && abs.startsWith(repoModules)
        ? { path: join(root, 'node_modules', abs.slice(repoModules.length)) }
        : undefined;
    });
  },
};

/**
 * Grafana core compiles @grafana/runtime from source and calls its `setPluginPage` at startup (public/app/app.ts).
 * The published 11.6.0 dist tree-shook that setter out of components/PluginPage.mjs (only the `let PluginPage`
 * remains), so the host adds the same two-line setter back to that module when the package lacks it.
 */
const pluginPageSetter = {
  name: 'plugin-page-setter',
  setup(b) {
    b.onLoad({ filter: /@grafana[\\/]runtime[\\/]dist[\\/]esm[\\/]components[\\/]PluginPage\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return source.includes('setPluginPage')
        ? undefined
        : { contents: `${source}\nexport function setPluginPage(c) {\n  PluginPage = c;\n}\n`, loader: 'js' };
    });
  },
};

/**
 * @grafana/ui's published .mjs files default-import CommonJS modules that set `exports.default` with `__esModule`
 * (react-use/lib/*, rc-picker/lib/*; 11.6.0's Input uses react-use/lib/useMeasure). esbuild gives a .mjs importer
 * Node's interop (default = the whole exports object), so the call fails; Grafana compiles @grafana/ui from source
 * with webpack, whose interop honours `__esModule`. The same modules' ES builds side-step the difference.
 */
const esmTwins = {
  name: 'esm-twins',
  setup(b) {
    b.onResolve({ filter: /^(react-use\/lib|rc-picker\/lib)\// }, (args) =>
      b.resolve(
        args.path.replace(/^react-use\/lib\//, 'react-use/esm/').replace(/^rc-picker\/lib\//, 'rc-picker/es/'),
        {
          kind: args.kind,
          resolveDir: args.resolveDir,
        }
      )
    );
  },
};

const result = await build({
  metafile: true,
  entryPoints: { main: join(here, 'app', 'main.tsx') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  jsx: 'automatic',
  define: {
    'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'),
    global: 'globalThis',
    __HOST_GRAFANA_VERSION__: JSON.stringify(grafanaVersion),
  },
  loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
  plugins: [packageRoot, pluginPageSetter, esmTwins],
  logLevel: 'warning',
  // systemjs declares "type": "script", which esbuild warns about; the files are plain scripts either way.
  logOverride: { 'package.json': 'silent' },
});
// A second copy of a Grafana-versioned package would make the page stand for two Grafanas at once.
if (root !== repo) {
  const leaked = Object.keys(result.metafile.inputs)
    .map((input) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
    .filter((name) => name && name !== 'systemjs');
  if (leaked.length) {
    throw new Error(`resolved outside ${root}: ${[...new Set(leaked)].join(', ')}`);
  }
}
// The page always links main.css; some builds have no CSS imports.
if (!existsSync(join(outdir, 'main.css'))) {
  writeFileSync(join(outdir, 'main.css'), '');
}
writeFileSync(join(outdir, 'build-info.json'), JSON.stringify({ grafanaVersion, packageRoot: root }, null, 2) + '\n');
console.log(`host bundle (Grafana ${grafanaVersion} packages) built in ${Date.now() - started} ms -> ${outdir}`);

#!/usr/bin/env node
// `npm run package`: the archives Grafana installs, from the built dist/ (`npm run build` first).
//   <id>-<version>.zip                   the app, the nested datasource and every backend executable
//   <id>-<version>.<os>_<arch>.zip       the same with only that platform's executable
// Each zip holds one folder named after the plugin id (what `grafana cli --pluginUrl` and the Helm chart's `plugins:`
// list expect), and has a `<zip>.sha256` beside it (sha256sum format). Prints compressed and unpacked sizes.
//   node scripts/package.mjs                          every target must be built; archives into artifacts/
//   node scripts/package.mjs --allow-missing          pack only the executables dist/ has (e.g. after --host-only)
//   node scripts/package.mjs --targets linux_amd64,linux_arm64    only these executables (and their archives)
//   node scripts/package.mjs --out DIR --level 1      output folder; zip compression level (default 6: level 9 is 0.3 % smaller and 50 % slower)
//   node scripts/package.mjs --sign [--rootUrls URL[,URL]]
//        signs each archive's folder with the pinned @grafana/sign-plugin before zipping (GRAFANA_ACCESS_POLICY_TOKEN).
//        Each archive gets its own MANIFEST.txt: Grafana marks a plugin "modified" when a file its manifest lists is
//        missing, so one manifest over dist/ (listing all five executables) would break every per-platform archive.
// Never shipped: other platforms' executables, source maps without their .js (a backend map), dist/MANIFEST.txt,
// node_modules, test fixtures and test files.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Grafana's <os>_<arch> names of the targets scripts/build-backend.mjs compiles. */
const TARGETS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];

function executableName(executable, target) {
  return `${executable}_${target}${target.startsWith('windows') ? '.exe' : ''}`;
}

/** `kici-ops-app-0.1.0.zip` for every target, `kici-ops-app-0.1.0.linux_amd64.zip` for one (Grafana's naming). */
function archiveName(id, version, target) {
  return target ? `${id}-${version}.${target}.zip` : `${id}-${version}.zip`;
}

/** Why a dist/ file is never shipped, or null when it may be. `files` = every dist-relative path (posix). */
function excludedReason(file, files) {
  const parts = file.split('/');
  const base = parts[parts.length - 1];
  if (parts.includes('node_modules')) {
    return 'node_modules';
  }
  if (parts.some((p) => p === '__fixtures__' || p === '__mocks__' || p === 'fixtures' || p === 'testdata')) {
    return 'test fixture';
  }
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(base)) {
    return 'test file';
  }
  if (file === 'MANIFEST.txt') {
    return 'a signature over dist/, not over this archive (use --sign)';
  }
  if (base.endsWith('.map') && !(base.endsWith('.js.map') && files.has(file.slice(0, -'.map'.length)))) {
    return 'source map without its .js (backend)';
  }
  return null;
}

/**
 * The dist-relative files of one archive: everything shippable, with only the executables of `targets`.
 * `executables` = every `gpx_*` path of dist/ by target.
 */
function archiveFiles(files, executables, targets) {
  const allExecutables = new Set(Object.values(executables));
  const out = [];
  for (const f of [...files].sort()) {
    if (allExecutables.has(f) || excludedReason(f, files)) {
      continue;
    }
    out.push(f);
  }
  for (const t of targets) {
    out.push(executables[t]);
  }
  return out;
}

function walk(dir, root = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...walk(p, root));
    } else if (entry.isFile()) {
      out.push(relative(root, p).split(sep).join('/'));
    }
  }
  return out;
}

function sha256(file) {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

function parseArgs(argv) {
  const opts = { dist: join(repo, 'dist'), out: join(repo, 'artifacts'), level: 6, allowMissing: false, sign: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`${a} needs a value`);
      }
      return v;
    };
    if (a === '--dist') {
      opts.dist = resolve(value());
    } else if (a === '--out') {
      opts.out = resolve(value());
    } else if (a === '--level') {
      opts.level = Number(value());
      if (!Number.isInteger(opts.level) || opts.level < 0 || opts.level > 9) {
        throw new Error('--level takes 0..9');
      }
    } else if (a === '--targets') {
      opts.targets = value().split(',').filter(Boolean);
      const unknown = opts.targets.filter((t) => !TARGETS.includes(t));
      if (!opts.targets.length || unknown.length) {
        throw new Error(`--targets takes a comma-separated subset of ${TARGETS.join(', ')}`);
      }
    } else if (a === '--allow-missing') {
      opts.allowMissing = true;
    } else if (a === '--sign') {
      opts.sign = true;
    } else if (a === '--rootUrls') {
      opts.rootUrls = value();
    } else {
      throw new Error(`unknown option ${a}`);
    }
  }
  if (opts.rootUrls && !opts.sign) {
    throw new Error('--rootUrls only makes sense with --sign');
  }
  return opts;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dist = opts.dist;
  if (!existsSync(join(dist, 'plugin.json'))) {
    throw new Error(`${dist}/plugin.json is missing: run npm run build first`);
  }
  const app = readJson(join(dist, 'plugin.json'));
  const ds = readJson(join(dist, 'datasource', 'plugin.json'));
  const { id } = app;
  const { version } = app.info;
  if (!id || !/^\d+\.\d+\.\d+/.test(version ?? '')) {
    throw new Error(`dist/plugin.json has id "${id}" and version "${version}": not a built plugin.json`);
  }
  if (ds.info?.version !== version) {
    throw new Error(`app version ${version} and datasource version ${ds.info?.version} differ`);
  }
  const files = new Set(walk(dist));
  const executables = {};
  for (const t of TARGETS) {
    const p = `datasource/${executableName(ds.executable, t)}`;
    if (files.has(p)) {
      executables[t] = p;
    }
  }
  const wanted = opts.targets ?? TARGETS;
  const built = wanted.filter((t) => executables[t]);
  const missing = wanted.filter((t) => !executables[t]);
  if (built.length === 0 || (missing.length && !opts.allowMissing)) {
    throw new Error(
      `dist/datasource lacks the executables for ${missing.join(', ')}: run npm run build (or pass --allow-missing)`
    );
  }
  for (const f of [...files].sort()) {
    const why = excludedReason(f, files);
    if (why) {
      console.log(`not packed: ${f} (${why})`);
    }
  }

  mkdirSync(opts.out, { recursive: true });
  const stageRoot = join(opts.out, '.stage');
  const archives = [{ targets: built, name: archiveName(id, version) }].concat(
    built.map((t) => ({ targets: [t], name: archiveName(id, version, t) }))
  );
  const zipOne = async (job) => {
    const zip = join(opts.out, job.name);
    rmSync(zip, { force: true });
    const started = Date.now();
    await execFileAsync('zip', ['-q', '-r', '-X', `-${opts.level}`, zip, id], { cwd: job.stageDir }).catch((err) => {
      throw err.code === 'ENOENT' ? new Error('zip not found (apt-get install zip)') : err;
    });
    const compressed = statSync(zip).size;
    writeFileSync(`${zip}.sha256`, `${await sha256(zip)}  ${job.name}\n`);
    return { ...job, compressed, ms: Date.now() - started };
  };
  const rows = [];
  let jobs = [];
  try {
    // Stage every archive's folder (hard links, not copies), sign each, then zip two at a time.
    jobs = archives.map(({ targets, name }, i) => {
      const stageDir = join(stageRoot, String(i));
      const stage = join(stageDir, id);
      const list = archiveFiles(files, executables, targets);
      let unpacked = 0;
      for (const f of list) {
        const dst = join(stage, f);
        mkdirSync(dirname(dst), { recursive: true });
        try {
          linkSync(join(dist, f), dst);
        } catch {
          copyFileSync(join(dist, f), dst);
        }
        chmodSync(dst, Object.values(executables).includes(f) ? 0o755 : 0o644);
        unpacked += statSync(dst).size;
      }
      if (opts.sign) {
        const args = ['--distDir', stage];
        if (opts.rootUrls) {
          args.push('--rootUrls', opts.rootUrls);
        }
        execFileSync(join(repo, 'node_modules', '.bin', 'sign-plugin'), args, { stdio: 'inherit' });
        unpacked += statSync(join(stage, 'MANIFEST.txt')).size;
      }
      return { name, targets, stageDir, unpacked, files: list.length };
    });
    const queue = [...jobs];
    const workers = Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
      while (queue.length) {
        rows.push(await zipOne(queue.shift()));
      }
    });
    await Promise.all(workers);
  } finally {
    rmSync(stageRoot, { recursive: true, force: true });
  }
  rows.sort((a, b) => jobs.findIndex((j) => j.name === a.name) - jobs.findIndex((j) => j.name === b.name));

  console.log(
    `\n${id} ${version}${opts.sign ? ' (signed)' : ' (unsigned)'} -> ${relative(process.cwd(), opts.out) || '.'}`
  );
  console.log('| archive | executables | compressed | unpacked | files | zip time |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.targets.join(', ')} | ${mib(r.compressed)} (${r.compressed.toLocaleString('en-US')} B) | ` +
        `${mib(r.unpacked)} (${r.unpacked.toLocaleString('en-US')} B) | ${r.files} | ${(r.ms / 1000).toFixed(1)} s |`
    );
  }
}

main().catch((err) => {
  console.error(`package: ${err.message}`);
  process.exit(1);
});

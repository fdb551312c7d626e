// Checks one plugin archive the way Grafana will install it. Grafana facts, read in grafana/grafana's main branch
// (fs.go at commit 08ea11bd6b3e, manifest.go at 0111696e00a2):
//  - pkg/plugins/storage/fs.go (what `grafana cli --pluginUrl`, GF_INSTALL_PLUGINS and the Helm chart's `plugins:` run):
//    the first path element of every member is replaced by the plugin id (removeGitBuildFromName), so every member must
//    sit under one top folder; absolute and `..` members are refused (ZipSlip); plugin.json is read from
//    <folder>/plugin.json; only files ending in _linux_amd64, _linux_arm, _linux_arm64, _darwin_amd64, _darwin_arm64 or
//    _windows_amd64.exe are made executable (0755), everything else keeps the zip's mode.
//  - pkg/plugins/manager/signature/manifest.go: a file the signed MANIFEST.txt lists but the folder lacks, or a file
//    the folder has but the manifest does not list (v2 manifests), makes the signature "modified".
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Executable suffixes Grafana's zip extractor chmods to 0755 (pkg/plugins/storage/fs.go extractFile). */
export const GRAFANA_EXECUTABLE_SUFFIXES = [
  '_linux_amd64',
  '_linux_arm',
  '_linux_arm64',
  '_darwin_amd64',
  '_darwin_arm64',
  '_windows_amd64.exe',
];

export interface ArchiveExpectation {
  id: string;
  version: string;
  /** Grafana `<os>_<arch>` names whose executables, and only those, the archive must hold. */
  targets: string[];
  /** The datasource's `executable` (plugin.json) for the names of the executables. */
  executable: string;
}

export interface ArchiveReport {
  /** Folder the archive was unpacked into (its single top folder is `<dir>/<id>`). */
  dir: string;
  /** Member names as the zip lists them. */
  members: string[];
  /** Archive-relative paths of the executables found, sorted. */
  executables: string[];
  problems: string[];
}

const executableFile = (executable: string, target: string) =>
  `${executable}_${target}${target.startsWith('windows') ? '.exe' : ''}`;

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function walk(dir: string, root = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, root) : [path.relative(root, p).split(path.sep).join('/')];
  });
}

/** The signed message's JSON of a MANIFEST.txt (PGP cleartext); the signature itself is not verified here. */
export function manifestMessage(text: string): { plugin?: string; version?: string; files?: Record<string, string> } {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}', text.indexOf('-----BEGIN PGP SIGNATURE-----'));
  if (start < 0 || end < start) {
    throw new Error('MANIFEST.txt holds no JSON message');
  }
  return JSON.parse(text.slice(start, end + 1));
}

/** Problems of a plugin folder against its MANIFEST.txt, the way Grafana's manifest.go compares them. */
export function manifestProblems(pluginDir: string, want: { id: string; version: string }): string[] {
  const file = path.join(pluginDir, 'MANIFEST.txt');
  if (!fs.existsSync(file)) {
    return [];
  }
  const problems: string[] = [];
  let m: ReturnType<typeof manifestMessage>;
  try {
    m = manifestMessage(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return [`MANIFEST.txt: ${(err as Error).message}`];
  }
  if (m.plugin !== want.id || m.version !== want.version) {
    problems.push(`MANIFEST.txt is for ${m.plugin} ${m.version}, not ${want.id} ${want.version}`);
  }
  const listed = m.files ?? {};
  const present = walk(pluginDir).filter((f) => f !== 'MANIFEST.txt');
  for (const [f, hash] of Object.entries(listed)) {
    const p = path.join(pluginDir, f);
    if (!fs.existsSync(p)) {
      problems.push(`MANIFEST.txt lists ${f}, which the archive lacks (Grafana: signature modified)`);
    } else if (createHash('sha256').update(fs.readFileSync(p)).digest('hex') !== hash) {
      problems.push(`MANIFEST.txt hash of ${f} does not match the file`);
    }
  }
  for (const f of present) {
    if (!(f in listed)) {
      problems.push(`${f} is not in MANIFEST.txt (Grafana: signature modified)`);
    }
  }
  return problems;
}

/** Problems of `<zip>.sha256` (sha256sum format, naming the zip). */
export function checksumProblems(zip: string): string[] {
  const sumFile = `${zip}.sha256`;
  if (!fs.existsSync(sumFile)) {
    return [`${path.basename(sumFile)} is missing`];
  }
  const m = /^([0-9a-f]{64}) {2}(\S+)\n$/.exec(fs.readFileSync(sumFile, 'utf8'));
  if (!m) {
    return [`${path.basename(sumFile)} is not "<sha256>  <file>"`];
  }
  const problems: string[] = [];
  if (m[2] !== path.basename(zip)) {
    problems.push(`${path.basename(sumFile)} names ${m[2]}, not ${path.basename(zip)}`);
  }
  if (createHash('sha256').update(fs.readFileSync(zip)).digest('hex') !== m[1]) {
    problems.push(`${path.basename(sumFile)} does not match the archive`);
  }
  return problems;
}

/** Unpacks `zip` into `into` (a fresh folder) and checks its layout against `want`. */
export function checkArchive(zip: string, want: ArchiveExpectation, into: string): ArchiveReport {
  const problems: string[] = [];
  const run = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' });
    } catch (err) {
      throw (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? new Error(`${cmd} not found (apt-get install unzip)`)
        : err;
    }
  };
  const members = run('zipinfo', ['-1', zip]).split('\n').filter(Boolean);
  const top = `${want.id}/`;
  for (const m of members) {
    if (m.startsWith('/') || m.split('/').includes('..')) {
      problems.push(`${m}: absolute or parent path (Grafana refuses the archive)`);
    } else if (!m.startsWith(top)) {
      problems.push(`${m}: not under ${top} (Grafana installs the first folder as the plugin)`);
    }
  }
  fs.mkdirSync(into, { recursive: true });
  run('unzip', ['-q', '-o', zip, '-d', into]);
  const root = path.join(into, want.id);
  const files = fs.existsSync(root) ? walk(root) : [];

  for (const f of files) {
    if (fs.lstatSync(path.join(root, f)).isSymbolicLink()) {
      problems.push(`${f}: a symlink`);
    }
  }
  const app = readJson(path.join(root, 'plugin.json'));
  const ds = readJson(path.join(root, 'datasource', 'plugin.json'));
  if (!app) {
    problems.push('plugin.json missing or not JSON');
  } else {
    if (app.id !== want.id || app.type !== 'app') {
      problems.push(`plugin.json is ${String(app.type)} ${String(app.id)}, not app ${want.id}`);
    }
    if ((app.info as { version?: string } | undefined)?.version !== want.version) {
      problems.push(`plugin.json version is not ${want.version}`);
    }
    const includes = (app.includes as Array<{ type?: string; path?: string }> | undefined) ?? [];
    if (!includes.some((i) => i.type === 'datasource' && i.path === 'datasource/plugin.json')) {
      problems.push('plugin.json does not include datasource/plugin.json');
    }
  }
  if (!ds) {
    problems.push('datasource/plugin.json missing or not JSON');
  } else if (ds.type !== 'datasource' || ds.backend !== true || ds.executable !== want.executable) {
    problems.push(`datasource/plugin.json is not a backend datasource with executable ${want.executable}`);
  }
  for (const m of ['module.js', 'datasource/module.js']) {
    if (!files.includes(m)) {
      problems.push(`${m} missing`);
    }
  }

  const exePattern = new RegExp(`^${want.executable}_[a-z0-9]+_[a-z0-9]+(\\.exe)?$`);
  const executables = files.filter((f) => exePattern.test(path.posix.basename(f))).sort();
  const expected = want.targets.map((t) => `datasource/${executableFile(want.executable, t)}`).sort();
  if (JSON.stringify(executables) !== JSON.stringify(expected)) {
    problems.push(`executables ${JSON.stringify(executables)}, expected ${JSON.stringify(expected)}`);
  }
  for (const e of executables) {
    const mode = fs.statSync(path.join(root, e)).mode & 0o777;
    if (mode !== 0o755) {
      problems.push(`${e}: mode ${mode.toString(8)}, not 755`);
    }
    if (!GRAFANA_EXECUTABLE_SUFFIXES.some((s) => e.endsWith(s))) {
      problems.push(`${e}: a name grafana cli does not make executable`);
    }
  }

  for (const f of files) {
    const parts = f.split('/');
    const base = parts[parts.length - 1];
    if (parts.includes('node_modules')) {
      problems.push(`${f}: node_modules shipped`);
    }
    if (parts.some((p) => ['__fixtures__', '__mocks__', 'fixtures', 'testdata'].includes(p))) {
      problems.push(`${f}: a test fixture shipped`);
    }
    if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(base)) {
      problems.push(`${f}: a test file shipped`);
    }
    if (base.endsWith('.map') && !(base.endsWith('.js.map') && files.includes(f.slice(0, -4)))) {
      problems.push(`${f}: a source map without its .js (backend) shipped`);
    }
  }
  problems.push(...manifestProblems(root, want), ...checksumProblems(zip));
  return { dir: into, members, executables, problems };
}

/** Grafana `<os>_<arch>` of this machine. */
export function hostTarget(): string {
  const os = ({ linux: 'linux', darwin: 'darwin', win32: 'windows' } as Record<string, string>)[process.platform];
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch];
  return `${os}_${arch}`;
}

/** The target an archive name claims: `<id>-<version>.<os>_<arch>.zip`, or every target for `<id>-<version>.zip`. */
export function targetOfArchive(name: string, id: string, version: string): string | 'all' | undefined {
  if (name === `${id}-${version}.zip`) {
    return 'all';
  }
  const m = new RegExp(
    `^${id.replace(/[.-]/g, '\\$&')}-${version.replace(/\./g, '\\.')}\\.([a-z]+_[a-z0-9]+)\\.zip$`
  ).exec(name);
  return m?.[1];
}

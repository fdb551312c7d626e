// `npm run package` (scripts/package.mjs) and the archive checker (archive-check.ts, whose Grafana facts name their
// sources). Three parts: the packager on a small fake dist/ with everything that must not ship planted in it; the
// checker on archives broken one way each (so it can fail); the real executable of this machine packed, unpacked,
// started and asked CheckHealth. `.ci/package-check.sh` runs the same checker on the full `npm run build` output.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { defaultExecutable } from '../../dev/testing/plugin-process';
import { checkArchive, hostTarget } from './archive-check';
import { checkArchives } from './check-archives';

const REPO = path.resolve(__dirname, '../..');
const PACKAGE = path.join(REPO, 'scripts', 'package.mjs');
const TARGETS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];
const exeName = (t: string) => `gpx_kici_ops_${t}${t.startsWith('windows') ? '.exe' : ''}`;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kici-packaging-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(root: string, file: string, content: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), content, { mode });
}

/** A dist/ shaped like webpack + build-backend's, with tiny stand-in executables. */
function fakeDist(root: string, targets = TARGETS): void {
  write(
    root,
    'plugin.json',
    JSON.stringify({
      id: 'kici-ops-app',
      type: 'app',
      info: { version: '1.2.3' },
      includes: [{ type: 'datasource', path: 'datasource/plugin.json' }],
    })
  );
  write(
    root,
    'datasource/plugin.json',
    JSON.stringify({
      id: 'kici-ops-datasource',
      type: 'datasource',
      backend: true,
      executable: 'gpx_kici_ops',
      info: { version: '1.2.3' },
    })
  );
  for (const f of ['module.js', 'module.js.map', '534.js', '534.js.map', 'datasource/module.js', 'README.md']) {
    write(root, f, `// ${f}\n`);
  }
  write(root, 'img/logo.svg', '<svg/>');
  for (const t of targets) {
    write(root, `datasource/${exeName(t)}`, `#!/bin/sh\necho ${t}\n`, 0o755);
  }
}

function runPackage(args: string[]) {
  return spawnSync(process.execPath, [PACKAGE, ...args], { encoding: 'utf8' });
}

function zipFolder(cwd: string, zip: string, what: string): void {
  execFileSync('zip', ['-q', '-r', '-X', '-1', zip, what], { cwd });
}

const sumOf = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const expectation = (targets: string[]) => ({
  id: 'kici-ops-app',
  version: '1.2.3',
  targets,
  executable: 'gpx_kici_ops',
});

describe('npm run package on a fake dist/', () => {
  it('makes one archive per platform and one with every executable, each with its sha256, in Grafana naming', () => {
    const dist = path.join(tmp, 'dist');
    fakeDist(dist);
    // Planted: none of these may ship.
    write(dist, 'datasource/gpx_kici_ops_linux_amd64.map', '{}');
    write(dist, 'stale.js.map', '{}');
    write(dist, 'datasource/__fixtures__/health.json', '{}');
    write(dist, 'node_modules/left-pad/index.js', '');
    write(dist, 'components/Foo.test.js', '');
    write(dist, 'MANIFEST.txt', 'signed over dist/');
    const out = path.join(tmp, 'out');
    const r = runPackage(['--dist', dist, '--out', out, '--level', '1']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);

    expect(fs.readdirSync(out).sort()).toEqual(
      [
        'kici-ops-app-1.2.3.zip',
        ...TARGETS.map((t) => `kici-ops-app-1.2.3.${t}.zip`),
        'kici-ops-app-1.2.3.zip.sha256',
        ...TARGETS.map((t) => `kici-ops-app-1.2.3.${t}.zip.sha256`),
      ].sort()
    );
    for (const t of [...TARGETS, 'all']) {
      const name = t === 'all' ? 'kici-ops-app-1.2.3.zip' : `kici-ops-app-1.2.3.${t}.zip`;
      const report = checkArchive(path.join(out, name), expectation(t === 'all' ? TARGETS : [t]), path.join(tmp, t));
      expect(report.problems).toEqual([]);
      const shipped = report.members.filter((m) => !m.endsWith('/')).sort();
      expect(shipped).toEqual(
        [
          'kici-ops-app/534.js',
          'kici-ops-app/534.js.map',
          'kici-ops-app/README.md',
          'kici-ops-app/datasource/module.js',
          'kici-ops-app/datasource/plugin.json',
          'kici-ops-app/img/logo.svg',
          'kici-ops-app/module.js',
          'kici-ops-app/module.js.map',
          'kici-ops-app/plugin.json',
          ...(t === 'all' ? TARGETS : [t]).map((x) => `kici-ops-app/datasource/${exeName(x)}`),
        ].sort()
      );
      expect(fs.readFileSync(path.join(out, `${name}.sha256`), 'utf8')).toBe(
        `${sumOf(path.join(out, name))}  ${name}\n`
      );
    }
    // What was left out, and why, is printed.
    expect(r.stdout).toContain(
      'not packed: datasource/gpx_kici_ops_linux_amd64.map (source map without its .js (backend))'
    );
    expect(r.stdout).toContain('not packed: MANIFEST.txt (a signature over dist/, not over this archive (use --sign))');
    expect(r.stdout).toMatch(
      /\| kici-ops-app-1\.2\.3\.linux_amd64\.zip \| linux_amd64 \| [\d.]+ MiB \([\d,]+ B\) \| [\d.]+ MiB/
    );
  });

  it('refuses a dist/ without every platform unless told to pack what is there', () => {
    const dist = path.join(tmp, 'dist');
    fakeDist(dist, ['linux_amd64']);
    const out = path.join(tmp, 'out');
    const refused = runPackage(['--dist', dist, '--out', out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'package: dist/datasource lacks the executables for linux_arm64, darwin_amd64, darwin_arm64, windows_amd64: ' +
        'run npm run build (or pass --allow-missing)\n'
    );
    expect(fs.existsSync(out)).toBe(false);

    const partial = runPackage(['--dist', dist, '--out', out, '--allow-missing', '--level', '1']);
    expect(partial.status).toBe(0);
    expect(
      fs
        .readdirSync(out)
        .filter((f) => f.endsWith('.zip'))
        .sort()
    ).toEqual(['kici-ops-app-1.2.3.linux_amd64.zip', 'kici-ops-app-1.2.3.zip']);
  });
});

describe('the archive checker fails on each broken archive', () => {
  /** A correct archive's folder in `stage/kici-ops-app`, then `breakIt` on it, zipped with its checksum. */
  function archiveWith(breakIt: (root: string) => void, top = 'kici-ops-app'): string {
    const stage = path.join(tmp, 'stage');
    fs.rmSync(stage, { recursive: true, force: true });
    fakeDist(path.join(stage, 'kici-ops-app'), ['linux_amd64']);
    breakIt(path.join(stage, 'kici-ops-app'));
    if (top !== 'kici-ops-app') {
      fs.renameSync(path.join(stage, 'kici-ops-app'), path.join(stage, top));
    }
    const zip = path.join(tmp, 'kici-ops-app-1.2.3.linux_amd64.zip');
    fs.rmSync(zip, { force: true });
    zipFolder(stage, zip, top === '.' ? '.' : top);
    fs.writeFileSync(`${zip}.sha256`, `${sumOf(zip)}  ${path.basename(zip)}\n`);
    return zip;
  }
  let unpacked = 0;
  const problemsOf = (zip: string, targets = ['linux_amd64']) =>
    checkArchive(zip, expectation(targets), path.join(tmp, `unpacked-${unpacked++}`)).problems;

  it('accepts the correct one', () => {
    expect(problemsOf(archiveWith(() => undefined))).toEqual([]);
  });

  it('members outside one folder named after the plugin id', () => {
    const zip = archiveWith(() => undefined, 'dist');
    expect(problemsOf(zip)).toContain(
      'dist/plugin.json: not under kici-ops-app/ (Grafana installs the first folder as the plugin)'
    );
  });

  it('an executable that is not 0755', () => {
    const zip = archiveWith((root) => fs.chmodSync(path.join(root, 'datasource', exeName('linux_amd64')), 0o644));
    expect(problemsOf(zip)).toEqual(['datasource/gpx_kici_ops_linux_amd64: mode 644, not 755']);
  });

  it('an executable the archive does not claim, or a missing one', () => {
    const extra = archiveWith((root) => write(root, `datasource/${exeName('darwin_arm64')}`, 'x', 0o755));
    expect(problemsOf(extra)).toEqual([
      'executables ["datasource/gpx_kici_ops_darwin_arm64","datasource/gpx_kici_ops_linux_amd64"], expected ["datasource/gpx_kici_ops_linux_amd64"]',
    ]);
    expect(
      problemsOf(
        archiveWith(() => undefined),
        ['linux_amd64', 'linux_arm64']
      )
    ).toEqual([
      'executables ["datasource/gpx_kici_ops_linux_amd64"], expected ["datasource/gpx_kici_ops_linux_amd64","datasource/gpx_kici_ops_linux_arm64"]',
    ]);
  });

  it('a missing module.js or plugin.json of the nested datasource', () => {
    const zip = archiveWith((root) => {
      fs.rmSync(path.join(root, 'datasource', 'module.js'));
      fs.rmSync(path.join(root, 'datasource', 'plugin.json'));
    });
    expect(problemsOf(zip)).toEqual(['datasource/plugin.json missing or not JSON', 'datasource/module.js missing']);
  });

  it('a backend source map, a fixture, node_modules', () => {
    const zip = archiveWith((root) => {
      write(root, 'datasource/gpx_kici_ops_linux_amd64.js.map', '{}');
      write(root, 'datasource/__fixtures__/a.json', '{}');
      write(root, 'node_modules/x/index.js', '');
    });
    expect(problemsOf(zip).sort()).toEqual(
      [
        'datasource/__fixtures__/a.json: a test fixture shipped',
        'datasource/gpx_kici_ops_linux_amd64.js.map: a source map without its .js (backend) shipped',
        'node_modules/x/index.js: node_modules shipped',
      ].sort()
    );
  });

  it('a MANIFEST.txt that lists a file the archive lacks, or misses one it has (pkg/plugins/manager/signature/manifest.go)', () => {
    const zip = archiveWith((root) => {
      const files: Record<string, string> = {};
      for (const f of ['plugin.json', 'module.js']) {
        files[f] = sumOf(path.join(root, f));
      }
      files['datasource/gpx_kici_ops_darwin_arm64'] = '0'.repeat(64);
      const message = JSON.stringify({ plugin: 'kici-ops-app', version: '1.2.3', files }, null, 2);
      write(
        root,
        'MANIFEST.txt',
        `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${message}\n-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n`
      );
    });
    const problems = problemsOf(zip);
    expect(problems).toContain(
      'MANIFEST.txt lists datasource/gpx_kici_ops_darwin_arm64, which the archive lacks (Grafana: signature modified)'
    );
    expect(problems).toContain(
      'datasource/gpx_kici_ops_linux_amd64 is not in MANIFEST.txt (Grafana: signature modified)'
    );
  });

  it('a checksum file that does not match', () => {
    const zip = archiveWith(() => undefined);
    fs.writeFileSync(`${zip}.sha256`, `${'0'.repeat(64)}  ${path.basename(zip)}\n`);
    expect(problemsOf(zip)).toEqual(['kici-ops-app-1.2.3.linux_amd64.zip.sha256 does not match the archive']);
  });
});

describe('the real executable of this machine, packed', () => {
  it('unpacks from both archives, starts as Grafana starts it and answers CheckHealth', async () => {
    const exe = defaultExecutable();
    if (!fs.existsSync(exe)) {
      throw new Error(`${exe} is missing: npm test builds it (npm run build:backend -- --host-only)`);
    }
    const out = path.join(tmp, 'out');
    const r = runPackage(['--out', out, '--targets', hostTarget(), '--allow-missing', '--level', '1']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const results = await checkArchives(out);
    expect(results.map((x) => ({ name: x.name, problems: x.problems, hostStarted: x.hostStarted }))).toEqual(
      expect.arrayContaining([
        { name: expect.stringMatching(/^kici-ops-app-\d+\.\d+\.\d+\.zip$/), problems: [], hostStarted: true },
        {
          name: expect.stringMatching(new RegExp(`^kici-ops-app-\\d+\\.\\d+\\.\\d+\\.${hostTarget()}\\.zip$`)),
          problems: [],
          hostStarted: true,
        },
      ])
    );
    expect(results).toHaveLength(2);
  }, 120000);
});

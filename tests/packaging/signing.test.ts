// `npm run package -- --sign --rootUrls ...` with the real, pinned @grafana/sign-plugin: every archive's folder is
// signed on its own, so each MANIFEST.txt lists exactly the files of its archive (Grafana's
// pkg/plugins/manager/signature/manifest.go marks a plugin "modified" otherwise; archive-check.ts encodes that).
// grafana.com's signing endpoint is stood in for by a loopback HTTPS server: sign-plugin posts the manifest it built
// to $GRAFANA_COM_URL/plugins/ci/sign (@grafana/sign-plugin 3.3.3 dist/utils/manifest.js) and saves the answer as
// MANIFEST.txt; the stand-in answers with the posted manifest in a PGP cleartext frame (the signature is not real).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { checkArchive } from './archive-check';

const run = promisify(execFile);
const PACKAGE = path.resolve(__dirname, '../../scripts/package.mjs');
const TARGETS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];
const exeName = (t: string) => `gpx_kici_ops_${t}${t.startsWith('windows') ? '.exe' : ''}`;

interface SignRequest {
  authorization?: string;
  manifest: { plugin: string; version: string; files: Record<string, string>; rootUrls?: string[] };
}

let tmp: string;
let server: https.Server;
let signUrl: string;
let requests: SignRequest[];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kici-signing-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(tmp, 'key.pem'),
      '-out',
      path.join(tmp, 'cert.pem'),
    ],
    { stdio: 'pipe' }
  );
  server = https.createServer(
    { key: fs.readFileSync(path.join(tmp, 'key.pem')), cert: fs.readFileSync(path.join(tmp, 'cert.pem')) },
    (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/api/plugins/ci/sign') {
          res.writeHead(404).end('not found');
          return;
        }
        const manifest = JSON.parse(body);
        requests.push({ authorization: req.headers.authorization, manifest });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(
          `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${JSON.stringify(manifest, null, 2)}\n` +
            '-----BEGIN PGP SIGNATURE-----\n\nstand-in\n-----END PGP SIGNATURE-----\n'
        );
      });
    }
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  signUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
});

function fakeDist(root: string): void {
  const write = (f: string, content: string, mode = 0o644) => {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), content, { mode });
  };
  write(
    'plugin.json',
    JSON.stringify({
      id: 'kici-ops-app',
      type: 'app',
      info: { version: '2.0.0' },
      includes: [{ type: 'datasource', path: 'datasource/plugin.json' }],
    })
  );
  write(
    'datasource/plugin.json',
    JSON.stringify({ type: 'datasource', backend: true, executable: 'gpx_kici_ops', info: { version: '2.0.0' } })
  );
  write('module.js', '//');
  write('datasource/module.js', '//');
  for (const t of TARGETS) {
    write(`datasource/${exeName(t)}`, `#!/bin/sh\necho ${t}\n`, 0o755);
  }
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(tmp, 'cert.pem'), ...extra };
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) {
    delete e[k];
  }
  delete e.GRAFANA_API_KEY;
  return e;
}

it('signs each archive on its own, with the root URLs, and every manifest matches its archive', async () => {
  const dist = path.join(tmp, 'dist');
  const out = path.join(tmp, 'signed');
  fakeDist(dist);
  await run(
    process.execPath,
    [PACKAGE, '--dist', dist, '--out', out, '--level', '1', '--sign', '--rootUrls', 'https://grafana.example.com/'],
    { env: env({ GRAFANA_ACCESS_POLICY_TOKEN: 'test-token', GRAFANA_COM_URL: signUrl }) }
  );

  expect(requests).toHaveLength(6);
  for (const r of requests) {
    expect(r.authorization).toBe('Bearer test-token');
    expect(r.manifest).toMatchObject({
      plugin: 'kici-ops-app',
      version: '2.0.0',
      rootUrls: ['https://grafana.example.com/'],
    });
  }
  // One request per archive, each listing only that archive's executables.
  expect(
    requests.map((r) => Object.keys(r.manifest.files).filter((f) => f.startsWith('datasource/gpx_')).length).sort()
  ).toEqual([1, 1, 1, 1, 1, 5]);

  for (const t of [...TARGETS, 'all']) {
    const name = t === 'all' ? 'kici-ops-app-2.0.0.zip' : `kici-ops-app-2.0.0.${t}.zip`;
    const report = checkArchive(
      path.join(out, name),
      { id: 'kici-ops-app', version: '2.0.0', targets: t === 'all' ? TARGETS : [t], executable: 'gpx_kici_ops' },
      path.join(tmp, `unpacked-${t}`)
    );
    expect(report.problems).toEqual([]);
    expect(report.members).toContain('kici-ops-app/MANIFEST.txt');
  }
  // The signature lives only in the archives, never in dist/.
  expect(fs.existsSync(path.join(dist, 'MANIFEST.txt'))).toBe(false);
}, 60000);

it('makes no archive when signing fails (no token)', async () => {
  const dist = path.join(tmp, 'dist-no-token');
  const out = path.join(tmp, 'unsigned');
  fakeDist(dist);
  const failed = await run(
    process.execPath,
    [PACKAGE, '--dist', dist, '--out', out, '--sign', '--rootUrls', 'https://g.example/'],
    {
      env: env({ GRAFANA_ACCESS_POLICY_TOKEN: '', GRAFANA_COM_URL: signUrl }),
    }
  ).then(
    () => null,
    (err: { code: number; stdout: string }) => err
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stdout).toContain('Missing GRAFANA_ACCESS_POLICY_TOKEN');
  expect(requests).toHaveLength(0);
  expect(fs.readdirSync(out)).toEqual([]);
});

// The compiled backend executable, started exactly as Grafana starts it (built by
// `npm run build:backend -- --host-only`, which `npm test` runs first).
import { spawn } from 'node:child_process';
import http2 from 'node:http2';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  defaultExecutable,
  GRAFANA_PLUGIN_ENV,
  type PluginProcess,
  startPlugin,
} from '../../dev/testing/plugin-process';
import { MAX_CONCURRENT_STREAMS } from '../../src/backend/protocol/server';

jest.setTimeout(60_000);

const EXE = defaultExecutable();
const GO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;
const EMPTY = { uid: 'kici-empty', jsonData: {}, secureJsonData: {} };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Running (an exited orphan may linger as a zombie until its new parent reaps it: that counts as gone). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
};

beforeAll(() => {
  if (!existsSync(EXE)) {
    throw new Error(`${EXE} is missing: run \`npm run build:backend -- --host-only\` first`);
  }
});

describe('the plugin executable as Grafana runs it', () => {
  let plugin: PluginProcess;

  beforeAll(async () => {
    plugin = await startPlugin();
  });

  afterAll(async () => {
    await plugin?.stop();
  });

  it('prints the go-plugin handshake with the grpc protocol on 127.0.0.1', () => {
    expect(plugin.handshake.line).toMatch(/^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc$/);
    expect(plugin.handshake).toMatchObject({ coreVersion: 1, appVersion: 2, network: 'tcp', protocol: 'grpc' });
  });

  it('advertises a bound on concurrent streams in its HTTP/2 SETTINGS (fairness under Bun, see server.ts)', async () => {
    const session = http2.connect(`http://${plugin.handshake.address}`);
    try {
      const settings = await new Promise<http2.Settings>((resolve, reject) => {
        session.once('remoteSettings', resolve);
        session.once('error', reject);
      });
      expect(settings.maxConcurrentStreams).toBe(MAX_CONCURRENT_STREAMS);
    } finally {
      session.close();
    }
  });

  it('answers go-plugin Ping (grpc health "plugin") and keeps the stdio stream open', async () => {
    expect(await plugin.ping()).toBe('SERVING');
    expect(await plugin.probeStdio(300)).toEqual({ open: true, messages: 0 });
  });

  it('CheckHealth says ERROR with a message when nothing is configured', async () => {
    const health = await plugin.checkHealth(EMPTY);
    expect(health.status).toBe('ERROR');
    expect(health.message.trim().length).toBeGreaterThan(0);
  });

  it('a bad query fails only its refId while another succeeds', async () => {
    const res = await plugin.queryData(EMPTY, [
      { refId: 'good', queryType: 'health' },
      { refId: 'bad', queryType: 'dlqDepth', json: '{"refId": "bad", ' },
    ]);
    expect(Object.keys(res).sort()).toEqual(['bad', 'good']);
    expect(res.bad.error).toBeTruthy();
    expect(res.bad.status).toBeGreaterThanOrEqual(400);
    expect(res.bad.frames).toEqual([]);
    expect(res.good.error).toBeUndefined();
    expect(res.good.status).toBe(200);
    expect(res.good.frames.length).toBeGreaterThan(0);
    expect(res.good.frames.every((f) => f.refId === 'good')).toBe(true);
  });

  it('answers an unknown resource path with a 404 JSON body', async () => {
    const res = await plugin.callResource(EMPTY, { method: 'GET', path: 'no/such/route' });
    expect(res.status).toBe(404);
    expect(res.headers['Content-Type']).toEqual(['application/json']);
    expect(res.json).toEqual(expect.objectContaining({ error: expect.any(String) }));
  });

  it('serves its own metrics through CollectMetrics', async () => {
    const text = await plugin.collectMetrics();
    expect(text).toMatch(/^plugin_calls_total\{service="QueryData",endpoint="health"\} [1-9]/m);
    expect(text).toMatch(/^plugin_active_instances 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('survives stdin EOF (stdin is /dev/null) and ignores SIGINT', async () => {
    await sleep(300);
    expect(alive(plugin.pid)).toBe(true);
    plugin.kill('SIGINT');
    await sleep(300);
    expect(alive(plugin.pid)).toBe(true);
    expect(await plugin.ping()).toBe('SERVING');
  });

  it('logs go-hclog JSON lines on stderr and writes nothing but the handshake on stdout', () => {
    const raw = plugin.stderrText().split('\n').filter(Boolean);
    const lines = plugin.stderrLines();
    expect(raw.length).toBeGreaterThan(0);
    expect(lines).toHaveLength(raw.length);
    for (const line of lines) {
      expect(['trace', 'debug', 'info', 'warn', 'error']).toContain(line['@level']);
      expect(typeof line['@message']).toBe('string');
      expect(line['@timestamp']).toMatch(GO_TIMESTAMP);
    }
    expect(lines.some((l) => l['@message'] === 'Plugin started')).toBe(true);
    expect(plugin.stdoutText()).toBe(plugin.handshake.line + '\n');
  });

  it('exits within 2 s of GRPCController/Shutdown (go-plugin SIGKILLs after 2 s)', async () => {
    const started = Date.now();
    await plugin.shutdown();
    const exit = await plugin.exited;
    const tookMs = Date.now() - started;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(2000);
  });
});

describe('the plugin executable lifecycle', () => {
  it('refuses to run without the magic cookie', async () => {
    const env = { ...process.env, ...GRAFANA_PLUGIN_ENV } as Record<string, string | undefined>;
    delete env.grafana_plugin_type;
    const child = spawn(EXE, [], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('This binary is a plugin');
  });

  it('exits 0 on SIGTERM, even one sent the moment the handshake line is read', async () => {
    // Ten launches: a handler installed after the line lost about one SIGTERM in four here.
    const exits = [];
    for (let i = 0; i < 10; i++) {
      const p = await startPlugin();
      p.kill('SIGTERM');
      exits.push(await p.exited);
      await p.stop();
    }
    expect(exits).toEqual(Array(10).fill({ code: 0, signal: null }));
  });

  it('listens on a unix socket when PLUGIN_UNIX_SOCKET_DIR is set', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kici-plugin-sock-'));
    const p = await startPlugin({ env: { PLUGIN_UNIX_SOCKET_DIR: dir } });
    try {
      expect(p.handshake.network).toBe('unix');
      expect(path.dirname(p.handshake.address)).toBe(dir);
      expect(p.handshake.line).toBe(`1|2|unix|${p.handshake.address}|grpc`);
      expect(await p.ping()).toBe('SERVING');
    } finally {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits when its parent dies (re-parenting watchdog)', async () => {
    const env = { ...process.env, ...GRAFANA_PLUGIN_ENV };
    // sh starts the plugin in the background, reports its pid, then waits; killing sh orphans the plugin.
    const sh = spawn('/bin/sh', ['-c', `"$0" >/dev/null 2>&1 </dev/null & echo $!; wait`, EXE], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pid = await new Promise<number>((resolve) =>
      sh.stdout.once('data', (d) => resolve(Number(String(d).trim())))
    );
    await sleep(500);
    expect(alive(pid)).toBe(true);
    sh.kill('SIGKILL');
    let waited = 0;
    while (alive(pid) && waited < 15_000) {
      await sleep(100);
      waited += 100;
    }
    const stillAlive = alive(pid);
    if (stillAlive) {
      process.kill(pid, 'SIGKILL');
    }
    expect(stillAlive).toBe(false);
  });
});

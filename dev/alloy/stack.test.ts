// The docker-compose stack cannot start on these machines (no Docker engine), so this checks its wiring instead:
// every value one file hands another (token, ports, uids, the log file, env variables, mounts) against the files
// and the kici-sim scenario that really define them. `.ci/compose-check.sh` adds the schema check.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

import { cluster3 } from '../kici-sim/scenarios/cluster-3';
import { tokensByRole } from '../kici-sim/scenarios/common';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const yamlFile = (file: string) => parse(read(file));

interface Service {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}

const compose = yamlFile('docker-compose.yaml') as { services: Record<string, Service>; volumes: object };
const services = compose.services;
const alloy = read('dev/alloy/config.alloy');

/** `--flag=value` arguments of a service's command. */
function flags(service: Service): Record<string, string> {
  return Object.fromEntries(
    (service.command ?? []).filter((a) => a.startsWith('--')).map((a) => [a.split('=')[0], a.split('=')[1] ?? ''])
  );
}

/** docker-compose's `${VAR:-default}` as the shell would read it with VAR unset. */
function withDefault(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

const scenario = cluster3().spec;
const basePort = Number(flags(services['kici-sim'])['--base-port']);

describe('docker-compose stack wiring', () => {
  it('runs kici-sim live on the cluster-3 scenario with fixed ports', () => {
    const f = flags(services['kici-sim']);
    expect(f['--scenario']).toBe(scenario.name);
    expect(f['--live']).toBe('');
    expect(f['--host']).toBe('0.0.0.0');
    expect(basePort).toBe(4000);
  });

  it("gives Grafana an admin-role token kici-sim's scenario really creates", () => {
    const token = withDefault(services.grafana.environment!.KICI_ADMIN_TOKEN);
    expect(token).toBe(tokensByRole(scenario).admin);
    const spec = scenario.tokens.find((t) => t.plaintext === token)!;
    expect(spec).toMatchObject({ role: 'admin', routingKey: null });
    expect(spec.revoked).toBeFalsy();
    expect(spec.expiresAt).toBeUndefined();
  });

  it('sets every variable the provisioned datasources interpolate', () => {
    const env = services.grafana.environment!;
    for (const file of ['kici.yaml', 'loki.yaml', 'prometheus.yaml']) {
      const text = read(`provisioning/datasources/${file}`).replace(/^\s*#.*$/gm, '');
      for (const [, name] of text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)) {
        expect([file, name, env[name]]).toEqual([file, name, expect.any(String)]);
      }
    }
    // The reader role and password the PostgreSQL init script creates.
    const init = read('dev/postgres/01-kici-reader.sql');
    expect(init).toContain(`CREATE ROLE ${env.KICI_PG_USER} LOGIN PASSWORD '${env.KICI_PG_PASSWORD}'`);
    expect(env.KICI_PG_HOST).toBe('postgres');
    expect(flags(services['kici-sim'])['--pg-url']).toMatch(new RegExp(`@postgres:5432/${env.KICI_PG_DATABASE}$`));
  });

  it("points the KiCI datasource at the scenario's live coordinators", () => {
    const kici = yamlFile('provisioning/datasources/kici.yaml').datasources[0];
    const live = scenario.nodes
      .map((node, i) => ({ node, url: `http://kici-sim:${basePort + i}` }))
      .filter(({ node }) => node.fault?.mode !== 'down');
    expect(kici.jsonData.orchestratorUrls).toEqual(live.map((l) => l.url));
    expect(live.length).toBeGreaterThanOrEqual(2);
  });

  it("scrapes every node and every agent that serves HTTP on kici-sim's ports", () => {
    const prom = yamlFile('dev/prometheus/prometheus.yml');
    const targets = (job: string) =>
      prom.scrape_configs.find((c: { job_name: string }) => c.job_name === job).static_configs[0].targets;
    expect(targets('kici-orchestrator')).toEqual(scenario.nodes.map((_, i) => `kici-sim:${basePort + i}`));
    expect(targets('kici-agent')).toEqual(
      scenario.agents.filter((a) => a.serveHttp).map((_, j) => `kici-sim:${basePort + 100 + j}`)
    );
    expect(services.prometheus.volumes).toContain('./dev/prometheus:/etc/prometheus:ro');
    expect(prom.rule_files).toEqual(['kici-rules.yaml']);
  });

  it('uses the datasource uids the app and the alert rules name, at the services compose runs', () => {
    const app = yamlFile('provisioning/plugins/app.yaml').apps[0].jsonData;
    const loki = yamlFile('provisioning/datasources/loki.yaml').datasources[0];
    const prometheus = yamlFile('provisioning/datasources/prometheus.yaml').datasources[0];
    expect([loki.uid, loki.type]).toEqual([app.lokiDatasourceUid, 'loki']);
    expect([prometheus.uid, prometheus.type]).toEqual([app.prometheusDatasourceUid, 'prometheus']);
    const lokiPort = yamlFile('dev/loki/config.yaml').server.http_listen_port;
    expect(loki.url).toBe(`http://loki:${lokiPort}`);
    expect(prometheus.url).toBe('http://prometheus:9090');
    expect(alloy).toContain(`url = "http://loki:${lokiPort}/loki/api/v1/push"`);
    expect(read('provisioning/alerting/kici.yaml')).toContain(`datasourceUid: ${prometheus.uid}`);
  });

  it('has Alloy tail the file kici-sim writes, through the same volume', () => {
    const logFile = flags(services['kici-sim'])['--log-file'];
    const dir = path.posix.dirname(logFile);
    const volume = (service: Service) => service.volumes!.find((v) => v.split(':')[1] === dir)?.split(':')[0];
    expect(volume(services['kici-sim'])).toBe('kici-logs');
    expect(volume(services.alloy)).toBe('kici-logs');
    expect(alloy).toContain(`__path__ = "${dir}/*.log"`);
    expect(Object.keys(compose.volumes)).toContain('kici-logs');
  });

  it('ships the labels the monitoring page names and the trace fields as structured metadata', () => {
    for (const label of ['env', 'host', 'instance']) {
      expect(alloy).toMatch(new RegExp(`(${label}\\s+=\\s+"|target_label\\s+=\\s+"${label}")`));
    }
    expect(alloy).toMatch(/stage\.labels \{\s*values = \{ service = "stream_service" \}/);
    const metadata = /stage\.structured_metadata \{\s*values = \{([^}]*)\}/.exec(alloy)![1];
    const keys = [...metadata.matchAll(/(\w+)\s*=/g)].map((m) => m[1]);
    expect(keys).toEqual(['requestId', 'runId', 'jobId', 'eventId', 'routingKey', 'deliveryId']);
    expect(alloy).toMatch(/stage\.timestamp \{\s*source = "timestamp"/);
  });

  it('mounts only files that exist and pins every image', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) {
          expect([name, source, existsSync(path.join(ROOT, source))]).toEqual([name, source, true]);
        }
      }
      if (service.image) {
        expect(service.image).toMatch(/:[^:]*\d[^:]*$/);
      } else {
        expect(service.build?.target).toMatch(/^(kici-sim|grafana)$/);
      }
      for (const port of service.ports ?? []) {
        expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
      }
    }
  });
});

/** Prometheus-style relabelling (anchored regex, `$1` replacement, no match = no change) of Alloy's rules. */
function alloyRelabel(pathName: string): Record<string, string> {
  const rules = [
    ...alloy.matchAll(/rule \{\s*source_labels = \["__path__"\]\s*regex\s*= "([^"]+)"\s*target_label\s*= "(\w+)"/g),
  ];
  expect(rules.length).toBeGreaterThan(0);
  const labels: Record<string, string> = {};
  for (const [, regex, target] of rules) {
    const m = new RegExp(`^(?:${regex.replace(/\\\\/g, '\\')})$`).exec(pathName);
    if (m) {
      labels[target] = m[1];
    }
  }
  return labels;
}

describe("Alloy's labels from KiCI's log file names", () => {
  it("reads service and instance from KiCI's rotated files", () => {
    expect(alloyRelabel('/var/log/kici/orchestrator-orch-a-2026-11-24.log')).toEqual({
      service: 'orchestrator',
      instance: 'orch-a',
    });
    expect(alloyRelabel('/var/log/kici/agent-2026-11-24.log')).toEqual({ service: 'agent', instance: 'agent' });
  });

  it("leaves the service to each line in kici-sim's combined file, instance the file's name", () => {
    expect(alloyRelabel('/var/log/kici/kici-sim.log')).toEqual({ instance: 'kici-sim' });
  });
});

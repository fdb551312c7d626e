// Starts the host stack and prints the URL. `npm run demo` runs it with --live; Playwright's webServer without.
//   tsx tests/host/bridge/main.ts [--port 3111] [--scenarios cluster-3,dlq-backlog] [--live [--rate 2]]
//                                 [--pg-url postgres://...] [--role Admin] [--sim-logs] [--traffic secrets-degraded]
//                                 [--host-build tests/host/dist-lowest]   (the page built by build.mjs --outdir)
import path from 'node:path';

import { GRAFANA_ROLES, type HostRole } from './session';
import { startStack } from './stack';

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  if (eq) {
    return eq.slice(name.length + 3);
  }
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
const has = (name: string) => process.argv.slice(2).some((a) => a === `--${name}` || a.startsWith(`--${name}=`));

async function main() {
  const role = (flag('role') ?? 'Admin') as HostRole;
  if (!GRAFANA_ROLES.includes(role)) {
    throw new Error(`--role must be one of ${GRAFANA_ROLES.join(', ')}`);
  }
  const port = Number(flag('port') ?? 3111);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, got ${flag('port')}`);
  }
  const rate = Number(flag('rate') ?? 2);
  const stack = await startStack({
    scenarios: (flag('scenarios') ?? 'cluster-3').split(',').filter(Boolean),
    pgUrl: flag('pg-url'),
    live: has('live') ? { ratePerSec: rate } : undefined,
    port,
    defaultRole: role,
    simLogOut: has('sim-logs') ? process.stderr : undefined,
    traffic: (flag('traffic') ?? '').split(',').filter(Boolean),
    hostBuild: flag('host-build') ? path.resolve(flag('host-build')!) : undefined,
    log: (line) => console.error(`[host] ${line}`),
  });
  const uids = stack.sims.map((s) => s.uid);
  console.log(`KiCI app: ${stack.url}/a/kici-ops-app/overview`);
  console.log(
    `  as a Viewer: ${stack.url}/a/kici-ops-app/overview?role=Viewer   (Editor, Admin likewise; kept in a cookie)`
  );
  if (uids.length > 1) {
    console.log(
      `  other scenarios: ${uids
        .slice(1)
        .map((u) => `?ds=${u}`)
        .join('  ')}`
    );
  }
  let stopping = false;
  const shutdown = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: Error) => {
  console.error(`host: ${err.message}`);
  process.exit(1);
});

// Shared by playwright.config.ts, the specs and scripts/screenshots.mjs' stack.
export const E2E_PORT = Number(process.env.KICI_E2E_PORT ?? 3112);

/** The first scenario is the provisioned `kici` datasource; the others are `kici-<scenario>` (`?ds=`). */
export const E2E_SCENARIOS = ['cluster-3', 'dlq-backlog', 'secrets-degraded'];

/** GRAFANA-NOTES.md: Debian Chromium, headless, no sandbox (root), no network beyond loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Scenarios given a burst of seeded live traffic at start (log lines with requestIds across tiers, for Traces). */
export const E2E_TRAFFIC = ['secrets-degraded'];

/** Which host page the journeys run on: `repo` (the repository's @grafana/* packages) or `lowest` (tests/host/lowest). */
export const HOST_BUILD = (() => {
  const build = process.env.KICI_HOST_BUILD ?? 'repo';
  if (build !== 'repo' && build !== 'lowest') {
    throw new Error(`KICI_HOST_BUILD must be repo or lowest, got ${build}`);
  }
  return build;
})();

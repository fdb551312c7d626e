// Writes the generated dashboards (`src/dashboards/*.json`) and Grafana alert rules (`provisioning/alerting/kici.yaml`).
// `tsx src/dashboards/generate.ts` writes them; `--check` only reports files that differ (exit 1).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { alertingYaml, ALERTING_FILE } from './alerts';
import { buildDashboards } from './index';
import { dashboardJson } from './panels';

/** Every generated file: path relative to the repository root → content. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const { file, dashboard } of buildDashboards()) {
    files.set(join('src', 'dashboards', file), dashboardJson(dashboard));
  }
  files.set(ALERTING_FILE, alertingYaml());
  return files;
}

function main(argv: string[]): number {
  const root = resolve(__dirname, '..', '..');
  const check = argv.includes('--check');
  const stale: string[] = [];
  for (const [path, content] of generatedFiles()) {
    const target = join(root, path);
    let current: string | null = null;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = null;
    }
    if (current === content) {
      continue;
    }
    stale.push(path);
    if (!check) {
      writeFileSync(target, content);
    }
  }
  for (const path of stale) {
    console.log(`${check ? 'out of date' : 'wrote'}: ${path}`);
  }
  return check && stale.length > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

#!/usr/bin/env bash
# Lints .github/workflows/*.yml (they cannot run here): each against GitHub's workflow schema with the pinned
# @action-validator/cli (no actionlint in Debian or npm), then every `run:` block through `bash -n` (the runner's
# default shell), and no action or npm tool taken at @latest.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for f in .github/workflows/*.yml; do
  if node_modules/.bin/action-validator "$f"; then
    echo "ok   $f (schema)"
  else
    echo "FAIL $f (schema)" >&2
    status=1
  fi
done
node - <<'JS' || status=1
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { parse } = require('yaml');
let failed = 0;
for (const f of fs.readdirSync('.github/workflows').filter((n) => n.endsWith('.yml')).sort()) {
  const path = `.github/workflows/${f}`;
  const text = fs.readFileSync(path, 'utf8');
  const wf = parse(text);
  const before = failed;
  for (const [job, def] of Object.entries(wf.jobs ?? {})) {
    for (const [i, step] of (def.steps ?? []).entries()) {
      const name = `${path} jobs.${job}.steps[${i}]${step.name ? ` (${step.name})` : ''}`;
      if (typeof step.uses === 'string' && /@(latest|main|master)$/.test(step.uses)) {
        console.error(`FAIL ${name}: ${step.uses} is not pinned`);
        failed++;
      }
      if (typeof step.run === 'string') {
        if (/@latest\b/.test(step.run)) {
          console.error(`FAIL ${name}: runs a tool at @latest`);
          failed++;
        }
        try {
          execFileSync('bash', ['-n'], { input: step.run, stdio: ['pipe', 'ignore', 'pipe'] });
        } catch (err) {
          console.error(`FAIL ${name}: bash -n: ${String(err.stderr).trim()}`);
          failed++;
        }
      }
    }
  }
  if (failed === before) {
    console.log(`ok   ${path} (run blocks parse, actions pinned)`);
  }
}
process.exit(failed ? 1 : 0);
JS
exit $status

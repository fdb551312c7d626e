// `tsx tests/packaging/check-archives.ts [DIR] [--all-targets] [--emulate <os_arch>=<command>]`: checks every
// archive `npm run package` made in DIR (default artifacts/): layout (archive-check.ts), checksums, and that this
// machine's executable in each archive that has one starts the way Grafana starts it and answers CheckHealth.
// --emulate linux_arm64="qemu-aarch64 -L /usr/aarch64-linux-gnu" does the same for that target's executables through
// the emulator. --all-targets also demands the five per-platform archives and an all-platform archive with all five
// executables (what `.ci/run` checks after `npm run build`). Exits 1 on any problem.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { summarizeHealth } from '../../src/backend/features/health/summary';
import { startPlugin } from '../../dev/testing/plugin-process';
import { checkArchive, hostTarget, targetOfArchive } from './archive-check';

export const ALL_TARGETS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];

/** What an unconfigured datasource answers: the executable is up and running its own health code. */
export const UNCONFIGURED_HEALTH = summarizeHealth([]);

/** Starts `exe` as Grafana does and asks CheckHealth with empty settings; returns a problem or null. */
export async function startsAndAnswers(exe: string): Promise<string | null> {
  const plugin = await startPlugin({ executable: exe, startTimeoutMs: 30000 });
  try {
    const health = await plugin.checkHealth({ uid: 'packaging-check', jsonData: {} });
    if (health.status !== 'ERROR' || health.message !== UNCONFIGURED_HEALTH.message) {
      return `CheckHealth answered ${health.status} ${JSON.stringify(health.message)}`;
    }
    return null;
  } finally {
    await plugin.stop();
  }
}

export interface CheckedArchive {
  name: string;
  targets: string[];
  problems: string[];
  hostStarted: boolean;
  /** Targets whose executable from this archive started and answered (the host's, and emulated ones). */
  started: string[];
}

/** A sh wrapper that execs `emulator` on `exe` (go-plugin style: one path, no arguments; exec keeps the PID). */
function emulatedExecutable(exe: string, emulator: string, dir: string): string {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const wrapper = path.join(dir, `emulated-${path.basename(exe)}`);
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${[...emulator.split(/\s+/), exe].map(quote).join(' ')} "$@"\n`, {
    mode: 0o755,
  });
  return wrapper;
}

export async function checkArchives(
  dir: string,
  opts: { allTargets?: boolean; emulators?: Record<string, string> } = {}
): Promise<CheckedArchive[]> {
  const zips = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.zip'))
    .sort();
  if (!zips.length) {
    throw new Error(`no .zip in ${dir}: run npm run package`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kici-archives-'));
  const results: CheckedArchive[] = [];
  try {
    // The id and version come from the archives themselves (the all-platform one names both).
    const all = zips.find((z) => /^[a-z0-9-]+-\d+\.\d+\.\d+[^.]*\.zip$/.test(z) && !/\.[a-z]+_[a-z0-9]+\.zip$/.test(z));
    if (!all) {
      throw new Error(`no all-platform archive (<id>-<version>.zip) among ${zips.join(', ')}`);
    }
    const [, id, version] = /^(.+)-(\d+\.\d+\.\d+[^.]*)\.zip$/.exec(all)!;
    const perTarget = zips.filter((z) => z !== all).map((z) => targetOfArchive(z, id, version));
    const builtTargets = perTarget.filter((t): t is string => typeof t === 'string' && t !== 'all');
    for (const [i, zip] of zips.entries()) {
      const claimed = targetOfArchive(zip, id, version);
      const targets = claimed === 'all' ? builtTargets : claimed ? [claimed] : [];
      const into = path.join(work, String(i));
      const report = checkArchive(path.join(dir, zip), { id, version, targets, executable: 'gpx_kici_ops' }, into);
      if (!claimed) {
        report.problems.push(`${zip}: not named <id>-<version>[.<os>_<arch>].zip`);
      }
      const started: string[] = [];
      const runnable: Record<string, string | null> = { [hostTarget()]: null, ...opts.emulators };
      for (const [target, emulator] of Object.entries(runnable)) {
        const exe = report.executables.find((e) => e.endsWith(`_${target}`));
        if (!exe || report.problems.length) {
          continue;
        }
        const unpacked = path.join(into, id, exe);
        const problem = await startsAndAnswers(
          emulator ? emulatedExecutable(unpacked, emulator, into) : unpacked
        ).catch((err: Error) => `did not start: ${err.message.split('\n')[0]}`);
        if (problem) {
          report.problems.push(`${exe}${emulator ? ` (through ${emulator})` : ''}: ${problem}`);
        } else {
          started.push(target);
        }
      }
      const hostStarted = started.includes(hostTarget());
      results.push({ name: zip, targets, problems: report.problems, hostStarted, started });
    }
    if (opts.allTargets) {
      const missing = ALL_TARGETS.filter((t) => !builtTargets.includes(t));
      if (missing.length) {
        results.push({
          name: '(set)',
          targets: [],
          problems: [`no archive for ${missing.join(', ')}`],
          hostStarted: false,
          started: [],
        });
      }
    }
    if (!results.some((r) => r.hostStarted)) {
      results.push({
        name: '(set)',
        targets: [],
        problems: [`no archive holds a ${hostTarget()} executable that started`],
        hostStarted: false,
        started: [],
      });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const emulators: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--emulate') {
      const [target, ...command] = (args[++i] ?? '').split('=');
      if (!target || !command.length) {
        throw new Error('--emulate takes <os_arch>=<command>');
      }
      emulators[target] = command.join('=');
    } else if (!args[i].startsWith('--')) {
      positional.push(args[i]);
    }
  }
  const dir = positional[0] ?? 'artifacts';
  const results = await checkArchives(dir, { allTargets: args.includes('--all-targets'), emulators });
  let failed = 0;
  for (const r of results) {
    const started = r.started.length
      ? `; started and answered CheckHealth: ${r.started.map((t) => (emulators[t] ? `${t} (emulated)` : t)).join(', ')}`
      : '';
    if (r.problems.length) {
      failed++;
      process.stdout.write(`FAIL ${r.name}\n${r.problems.map((p) => `     ${p}`).join('\n')}\n`);
    } else {
      process.stdout.write(`ok   ${r.name}: executables ${r.targets.join(', ')}${started}\n`);
    }
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`check-archives: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

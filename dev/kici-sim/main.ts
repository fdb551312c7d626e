// `npm run sim -- --scenario <name> [--layout 0.9|0.1] [--pg-url URL | --embedded-pg] [--no-seed]
//   [--host 127.0.0.1] [--base-port N] [--live [--rate N]] [--log-file F]`
// Prints one JSON line with every URL and the token plaintexts, then KiCI's JSON log lines on stdout.
import { startPostgres } from '../testing/postgres';
import type { SchemaLayout } from './model';
import { SCENARIO_NAMES } from './scenarios/index';
import { startSim } from './sim';

export interface CliOptions {
  scenario: string;
  layout: SchemaLayout;
  pgUrl: string | null;
  embeddedPg: boolean;
  seed: boolean;
  host: string;
  basePort: number | undefined;
  live: { ratePerSec: number } | undefined;
  logFile: string | undefined;
}

export const USAGE =
  'usage: kici-sim --scenario <' +
  SCENARIO_NAMES.join('|') +
  '> [--layout 0.9|0.1] [--pg-url URL | --embedded-pg] [--no-seed] [--host 127.0.0.1] [--base-port N] [--live [--rate N]] [--log-file F]';

/** Parses the CLI; throws an Error with a one-line reason on bad input. */
export function parseArgs(rawArgv: string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  // `--flag=value` (as docker-compose commands often write it) is the same as `--flag value`.
  const argv = rawArgv.flatMap((a) =>
    a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a]
  );
  const o: CliOptions = {
    scenario: '',
    layout: '0.9',
    pgUrl: env.KICI_SIM_PG_URL ?? null,
    embeddedPg: false,
    seed: true,
    host: '127.0.0.1',
    basePort: undefined,
    live: undefined,
    logFile: undefined,
  };
  let rate: number | undefined;
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) {
      throw new Error(`${flag} needs a value`);
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--scenario':
        o.scenario = value(i++, flag);
        break;
      case '--layout': {
        const v = value(i++, flag);
        if (v !== '0.9' && v !== '0.1') {
          throw new Error(`--layout must be 0.9 or 0.1, got ${v}`);
        }
        o.layout = v;
        break;
      }
      case '--pg-url':
        o.pgUrl = value(i++, flag);
        break;
      case '--embedded-pg':
        o.embeddedPg = true;
        break;
      case '--no-seed':
        o.seed = false;
        break;
      case '--host':
        o.host = value(i++, flag);
        break;
      case '--base-port': {
        const n = Number(value(i++, flag));
        if (!Number.isInteger(n) || n < 1 || n > 65_000) {
          throw new Error('--base-port must be an integer port (the sim uses up to base+100+agents)');
        }
        o.basePort = n;
        break;
      }
      case '--live':
        o.live = { ratePerSec: 1 };
        break;
      case '--rate': {
        const n = Number(value(i++, flag));
        if (!Number.isFinite(n) || n <= 0) {
          throw new Error('--rate must be a positive number of runs per second');
        }
        rate = n;
        break;
      }
      case '--log-file':
        o.logFile = value(i++, flag);
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  if (!o.scenario) {
    throw new Error(`--scenario is required\n${USAGE}`);
  }
  if (!SCENARIO_NAMES.includes(o.scenario)) {
    throw new Error(`unknown scenario ${o.scenario}; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  if (rate !== undefined) {
    if (!o.live) {
      throw new Error('--rate only makes sense with --live');
    }
    o.live.ratePerSec = rate;
  }
  if (o.embeddedPg && o.pgUrl && !env.KICI_SIM_PG_URL) {
    throw new Error('give either --pg-url or --embedded-pg, not both');
  }
  if (!o.embeddedPg && !o.pgUrl) {
    throw new Error(`a database is required: --pg-url postgres://… (or KICI_SIM_PG_URL) or --embedded-pg\n${USAGE}`);
  }
  return o;
}

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const pg = opts.embeddedPg ? await startPostgres() : null;
  const pgUrl = pg ? pg.url : opts.pgUrl!;
  const sim = await startSim({
    scenario: opts.scenario,
    layout: opts.layout,
    pgUrl,
    // A restarted container finds its database already seeded: serve it as it is.
    seed: opts.seed ? 'if-empty' : false,
    host: opts.host,
    basePort: opts.basePort,
    live: opts.live,
    logOut: process.stdout,
    logFile: opts.logFile,
  }).catch(async (err) => {
    await pg?.stop();
    throw err;
  });
  process.stdout.write(
    JSON.stringify({
      kiciSim: 'started',
      scenario: sim.spec.name,
      layout: sim.layout,
      nodes: sim.nodes,
      agents: sim.agents,
      platform: sim.platformUrl
        ? { url: sim.platformUrl, org: sim.spec.platform!.org, token: sim.spec.platform!.token }
        : null,
      control: sim.controlUrl,
      tokens: sim.tokens,
      // Only the embedded database's URL is printed; a --pg-url may carry the caller's password.
      database: pg ? pgUrl : undefined,
    }) + '\n'
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) {
      return;
    }
    stopping = true;
    await sim.stop();
    await pg?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`kici-sim failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}

import { parseArgs } from './main';

describe('kici-sim CLI', () => {
  it('parses every option', () => {
    expect(
      parseArgs([
        '--scenario',
        'cluster-3',
        '--layout',
        '0.1',
        '--pg-url',
        'postgres://x',
        '--no-seed',
        '--host',
        '127.0.0.1',
        '--base-port',
        '14000',
        '--live',
        '--rate',
        '5',
        '--log-file',
        'sim.log',
      ])
    ).toEqual({
      scenario: 'cluster-3',
      layout: '0.1',
      pgUrl: 'postgres://x',
      embeddedPg: false,
      seed: false,
      host: '127.0.0.1',
      basePort: 14000,
      live: { ratePerSec: 5 },
      logFile: 'sim.log',
    });
  });

  it('accepts --flag=value as docker-compose writes it', () => {
    expect(
      parseArgs([
        '--scenario=cluster-3',
        '--pg-url=postgres://kici:kici@postgres:5432/kici',
        '--host=0.0.0.0',
        '--base-port=4000',
        '--live',
      ])
    ).toMatchObject({
      scenario: 'cluster-3',
      pgUrl: 'postgres://kici:kici@postgres:5432/kici',
      host: '0.0.0.0',
      basePort: 4000,
      live: { ratePerSec: 1 },
    });
  });

  it('defaults to the 0.9 layout, seeding, loopback and no live mode', () => {
    expect(parseArgs(['--scenario', 'healthy-single', '--embedded-pg'])).toMatchObject({
      layout: '0.9',
      seed: true,
      host: '127.0.0.1',
      live: undefined,
      embeddedPg: true,
    });
    expect(parseArgs(['--scenario', 'healthy-single'], { KICI_SIM_PG_URL: 'postgres://env' }).pgUrl).toBe(
      'postgres://env'
    );
  });

  it('rejects bad input with a clear reason', () => {
    expect(() => parseArgs([])).toThrow(/--scenario is required/);
    expect(() => parseArgs(['--scenario', 'nope', '--embedded-pg'])).toThrow(
      /unknown scenario nope; known: .*healthy-single/
    );
    expect(() => parseArgs(['--scenario', 'healthy-single'])).toThrow(/a database is required/);
    expect(() => parseArgs(['--scenario', 'healthy-single', '--embedded-pg', '--layout', '1.0'])).toThrow(
      /--layout must be 0.9 or 0.1/
    );
    expect(() => parseArgs(['--scenario', 'healthy-single', '--embedded-pg', '--rate', '2'])).toThrow(
      /--rate only makes sense with --live/
    );
    expect(() => parseArgs(['--scenario', 'healthy-single', '--embedded-pg', '--base-port', 'x'])).toThrow(
      /--base-port/
    );
    expect(() => parseArgs(['--scenario', '--embedded-pg'])).toThrow(/--scenario needs a value/);
    expect(() => parseArgs(['--scenario', 'healthy-single', '--embedded-pg', '--pg-url', 'postgres://x'])).toThrow(
      /either --pg-url or --embedded-pg/
    );
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown argument --frobnicate/);
  });
});

import { KiciSourceError } from '../kici/errors';
import { shareRun } from './single-flight';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A run that records its signal and settles when told. */
function controllable<T>() {
  const runs: Array<{ signal: AbortSignal; settle: ReturnType<typeof deferred<T>> }> = [];
  const run = (signal: AbortSignal) => {
    const settle = deferred<T>();
    runs.push({ signal, settle });
    return settle.promise;
  };
  return { runs, run };
}

const live = () => new AbortController().signal;

describe('shareRun', () => {
  it('gives concurrent callers of one owner and key the one run and its value', async () => {
    const owner = {};
    const { runs, run } = controllable<string[]>();
    const a = shareRun(owner, 'matrix', live(), run);
    const b = shareRun(owner, 'matrix', live(), run);
    expect(runs).toHaveLength(1);
    runs[0].settle.resolve(['ok']);
    await expect(a).resolves.toEqual(['ok']);
    await expect(b).resolves.toEqual(['ok']);
  });

  it('starts a new run once the shared one has settled', async () => {
    const owner = {};
    const { runs, run } = controllable<number>();
    const first = shareRun(owner, 'matrix', live(), run);
    runs[0].settle.resolve(1);
    await expect(first).resolves.toBe(1);
    const second = shareRun(owner, 'matrix', live(), run);
    expect(runs).toHaveLength(2);
    runs[1].settle.resolve(2);
    await expect(second).resolves.toBe(2);
  });

  it('does not share between owners (datasource instances) or keys', () => {
    const { runs, run } = controllable<number>();
    const one = {};
    void shareRun(one, 'matrix', live(), run);
    void shareRun({}, 'matrix', live(), run);
    void shareRun(one, 'checks', live(), run);
    expect(runs).toHaveLength(3);
    runs.forEach((r, i) => r.settle.resolve(i));
  });

  it('gives every waiter the run’s failure, and the next caller a new run', async () => {
    const owner = {};
    const { runs, run } = controllable<number>();
    const a = shareRun(owner, 'k', live(), run);
    const b = shareRun(owner, 'k', live(), run);
    const boom = new Error('pg down');
    runs[0].settle.reject(boom);
    await expect(a).rejects.toBe(boom);
    await expect(b).rejects.toBe(boom);
    void shareRun(owner, 'k', live(), run);
    expect(runs).toHaveLength(2);
    runs[1].settle.resolve(0);
  });

  it('lets one caller stop waiting while the run goes on for the others', async () => {
    const owner = {};
    const { runs, run } = controllable<string>();
    const leaving = new AbortController();
    const a = shareRun(owner, 'k', leaving.signal, run);
    const b = shareRun(owner, 'k', live(), run);
    leaving.abort();
    await expect(a).rejects.toMatchObject({ failure: 'cancelled', message: 'the request was cancelled' });
    expect(runs[0].signal.aborted).toBe(false);
    runs[0].settle.resolve('done');
    await expect(b).resolves.toBe('done');
  });

  it('aborts the run when every caller has gone, and a later caller starts afresh', async () => {
    const owner = {};
    const { runs, run } = controllable<string>();
    const x = new AbortController();
    const y = new AbortController();
    const a = shareRun(owner, 'k', x.signal, run);
    const b = shareRun(owner, 'k', y.signal, run);
    x.abort();
    expect(runs[0].signal.aborted).toBe(false);
    y.abort();
    expect(runs[0].signal.aborted).toBe(true);
    await expect(a).rejects.toBeInstanceOf(KiciSourceError);
    await expect(b).rejects.toBeInstanceOf(KiciSourceError);
    const c = shareRun(owner, 'k', live(), run);
    expect(runs).toHaveLength(2);
    runs[0].settle.resolve('abandoned');
    runs[1].settle.resolve('fresh');
    await expect(c).resolves.toBe('fresh');
  });

  it('with keepRunning, a run every caller has left goes on and the next caller joins it', async () => {
    const owner = {};
    const { runs, run } = controllable<string>();
    const x = new AbortController();
    const a = shareRun(owner, 'k', x.signal, run, { keepRunning: true });
    x.abort();
    await expect(a).rejects.toMatchObject({ failure: 'cancelled' });
    expect(runs[0].signal.aborted).toBe(false);
    const b = shareRun(owner, 'k', live(), run, { keepRunning: true });
    expect(runs).toHaveLength(1);
    runs[0].settle.resolve('built once');
    await expect(b).resolves.toBe('built once');
  });

  it('refuses an already cancelled caller without starting a run', async () => {
    const { runs, run } = controllable<string>();
    const gone = new AbortController();
    gone.abort();
    await expect(shareRun({}, 'k', gone.signal, run)).rejects.toMatchObject({ failure: 'cancelled' });
    expect(runs).toHaveLength(0);
  });
});

import { InstanceManager } from './instances';
import { createLogger } from './logger';
import { datasourceSettings } from './testing';
import type { DatasourceInstance, DatasourcePlugin } from './types';

const settings = (uid: string, lastUpdatedMS: number) => datasourceSettings({}, {}, { uid, name: uid, lastUpdatedMS });

interface FakeInstance extends DatasourceInstance {
  label: string;
  disposed: number;
}

function fakePlugin(disposeImpl?: (label: string) => Promise<void>) {
  const created: FakeInstance[] = [];
  const plugin: DatasourcePlugin = {
    createInstance(s) {
      const inst: FakeInstance = {
        label: `${s.uid}@${s.lastUpdatedMS}`,
        disposed: 0,
        checkHealth: async () => ({ status: 'OK', message: '' }),
        query: async () => ({ frames: [] }),
        callResource: async () => ({ status: 200 }),
        dispose: async () => {
          inst.disposed++;
          await disposeImpl?.(inst.label);
        },
      };
      created.push(inst);
      return inst;
    },
  };
  return { plugin, created };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('InstanceManager', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
  beforeEach(() => (lines.length = 0));

  it('reuses one instance per uid and lastUpdatedMS', () => {
    const { plugin, created } = fakePlugin();
    const counts: number[] = [];
    const m = new InstanceManager(plugin, log, (n) => counts.push(n));
    const a = m.acquire(settings('a', 1), 1);
    const b = m.acquire(settings('a', 1), 1);
    const c = m.acquire(settings('b', 1), 1);
    expect(a.instance).toBe(b.instance);
    expect(c.instance).not.toBe(a.instance);
    expect(created.map((i) => i.label)).toEqual(['a@1', 'b@1']);
    expect(m.size).toBe(2);
    expect(counts).toEqual([1, 2]);
  });

  it('replaces the instance when lastUpdatedMS changes and disposes the old one once its calls finish', async () => {
    const { plugin, created } = fakePlugin();
    const m = new InstanceManager(plugin, log);
    const running = m.acquire(settings('a', 1), 1);
    const fresh = m.acquire(settings('a', 2), 1);
    expect(fresh.instance).not.toBe(running.instance);
    await flush();
    expect(created[0].disposed).toBe(0); // a call still holds it
    running.release();
    running.release(); // idempotent
    await flush();
    expect(created[0].disposed).toBe(1);
    expect(created[1].disposed).toBe(0);
    expect(m.size).toBe(1);
    expect(lines.some((l) => JSON.parse(l)['@message'].includes('settings changed'))).toBe(true);
  });

  it('disposes an idle replaced instance right away and logs dispose errors without throwing', async () => {
    const { plugin, created } = fakePlugin(async (label) => {
      if (label === 'a@1') {
        throw new Error('pool end failed');
      }
    });
    const m = new InstanceManager(plugin, log);
    m.acquire(settings('a', 1), 1).release();
    m.acquire(settings('a', 2), 1).release();
    await flush();
    await flush();
    expect(created[0].disposed).toBe(1);
    const errorLine = lines.map((l) => JSON.parse(l)).find((l) => l['@level'] === 'error');
    expect(errorLine).toMatchObject({ uid: 'a', error: 'pool end failed' });
  });

  // Grafana's Go SDK keys a datasource instance by its numeric id (global across orgs) and the tenant, and
  // replaces it when `Updated` changes (grafana-plugin-sdk-go v0.296.3, backend/datasource/instance_provider.go
  // instanceKey/NeedsUpdate, used by backend/instancemgmt/instance_manager.go Get). A uid is unique only
  // within one org, and `updated` is stored to the second, so uid + lastUpdatedMS cannot tell two orgs apart.
  it("keeps two orgs' datasources with the same uid and update second apart", () => {
    const { plugin, created } = fakePlugin();
    const m = new InstanceManager(plugin, log);
    const org1 = datasourceSettings({}, { adminToken: 'org1' }, { id: 11, uid: 'kici', lastUpdatedMS: 5000 });
    const org2 = datasourceSettings({}, { adminToken: 'org2' }, { id: 22, uid: 'kici', lastUpdatedMS: 5000 });
    const a = m.acquire(org1, 1);
    const b = m.acquire(org2, 2);
    expect(b.instance).not.toBe(a.instance);
    expect(created).toHaveLength(2);
    expect(m.size).toBe(2);
  });

  it("does not evict one org's instance when another org with the same uid is called in between", async () => {
    const { plugin, created } = fakePlugin();
    const m = new InstanceManager(plugin, log);
    const org1 = datasourceSettings({}, {}, { id: 11, uid: 'kici', lastUpdatedMS: 5000 });
    const org2 = datasourceSettings({}, {}, { id: 22, uid: 'kici', lastUpdatedMS: 7000 });
    for (let i = 0; i < 5; i++) {
      m.acquire(org1, 1).release();
      m.acquire(org2, 2).release();
    }
    await flush();
    expect(created).toHaveLength(2);
    expect(created.map((c) => c.disposed)).toEqual([0, 0]);
    expect(lines.some((l) => JSON.parse(l)['@message'].includes('settings changed'))).toBe(false);
  });

  it('disposeAll waits for running calls, disposes everything once and refuses new calls', async () => {
    const { plugin, created } = fakePlugin();
    const m = new InstanceManager(plugin, log);
    const held = m.acquire(settings('a', 1), 1);
    m.acquire(settings('b', 1), 1).release();
    setTimeout(() => held.release(), 30);
    await m.disposeAll(2000);
    expect(created.map((i) => i.disposed)).toEqual([1, 1]);
    expect(() => m.acquire(settings('c', 1), 1)).toThrow('shutting down');
  });
});

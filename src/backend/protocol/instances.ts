import type { DatasourceInstance, DatasourcePlugin, DataSourceSettings, Logger } from './types';

// One DatasourceInstance per datasource, keyed as Grafana's Go SDK keys them (org, numeric datasource id, and
// the uid for safety; a uid alone is unique only within one org) and replaced when lastUpdatedMS changes
// (Grafana bumps it on every save; grafana-plugin-sdk-go backend/datasource/instance_provider.go). A replaced instance is disposed once the calls still using it have finished, so a settings
// change never cuts a running query's connection.

interface Entry {
  key: string;
  uid: string;
  lastUpdatedMS: number;
  instance: DatasourceInstance;
  active: number;
  retired: boolean;
  disposed?: Promise<void>;
}

export interface Lease {
  instance: DatasourceInstance;
  /** Call exactly once when the request is done with the instance. */
  release(): void;
}

/** The cache key: org, numeric id and uid (the SDK's `instanceKey` uses the id, which Grafana assigns globally). */
export function instanceKey(settings: DataSourceSettings, orgId: number): string {
  return `${orgId}#${settings.id}#${settings.uid}`;
}

export class InstanceManager {
  private readonly current = new Map<string, Entry>();
  private readonly retiring = new Set<Entry>();
  private closed = false;

  constructor(
    private readonly plugin: DatasourcePlugin,
    private readonly log: Logger,
    private readonly onCountChange: (count: number) => void = () => {}
  ) {}

  /** Number of live (not retired) instances. */
  get size(): number {
    return this.current.size;
  }

  /**
   * The instance for these settings, created on first use. Creation is synchronous, so two concurrent calls
   * for the same settings always share one instance.
   */
  acquire(settings: DataSourceSettings, orgId: number): Lease {
    if (this.closed) {
      throw new Error('the plugin is shutting down');
    }
    const key = instanceKey(settings, orgId);
    let entry = this.current.get(key);
    if (entry && entry.lastUpdatedMS !== settings.lastUpdatedMS) {
      this.log.info('Datasource settings changed: replacing its instance', {
        uid: settings.uid,
        orgId,
        datasourceId: settings.id,
        previousLastUpdatedMS: entry.lastUpdatedMS,
        lastUpdatedMS: settings.lastUpdatedMS,
      });
      this.retire(entry);
      entry = undefined;
    }
    if (!entry) {
      const instance = this.plugin.createInstance(
        settings,
        this.log.with({ datasourceUid: settings.uid, orgId, datasourceId: settings.id })
      );
      entry = { key, uid: settings.uid, lastUpdatedMS: settings.lastUpdatedMS, instance, active: 0, retired: false };
      this.current.set(key, entry);
      this.onCountChange(this.current.size);
    }
    const held = entry;
    held.active++;
    let released = false;
    return {
      instance: held.instance,
      release: () => {
        if (released) {
          return;
        }
        released = true;
        held.active--;
        if (held.retired && held.active === 0) {
          void this.dispose(held);
        }
      },
    };
  }

  /** Retires every instance and waits for their disposal (calls still running are awaited up to `graceMs`). */
  async disposeAll(graceMs = 1000): Promise<void> {
    this.closed = true;
    for (const entry of [...this.current.values()]) {
      this.retire(entry);
    }
    const deadline = Date.now() + graceMs;
    while ([...this.retiring].some((e) => e.active > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all([...this.retiring].map((e) => this.dispose(e)));
  }

  private retire(entry: Entry): void {
    entry.retired = true;
    this.current.delete(entry.key);
    this.onCountChange(this.current.size);
    this.retiring.add(entry);
    if (entry.active === 0) {
      void this.dispose(entry);
    }
  }

  private dispose(entry: Entry): Promise<void> {
    entry.disposed ??= (async () => {
      try {
        await entry.instance.dispose();
      } catch (err) {
        this.log.error('Disposing a datasource instance failed', { uid: entry.uid, error: err });
      } finally {
        this.retiring.delete(entry);
      }
    })();
    return entry.disposed;
  }
}

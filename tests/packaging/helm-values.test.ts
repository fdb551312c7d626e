// deploy/helm/values.yaml is what a user copies to install the plugin with the Grafana Helm chart: its embedded
// provisioning must be the provisioning this repository tests (provisioning/), and its plugin entry must parse the
// way Grafana parses GF_INSTALL_PLUGINS.
// Grafana facts, read in grafana/grafana's main branch:
//  - pkg/setting/setting_plugins.go (commit 0a8a924c187b), migrateInstallPluginsToPreinstallPluginsSync: each
//    comma-separated GF_INSTALL_PLUGINS entry matches `(?:([^;]+);)?([^;\s]+)(?:\s+(.+))?` = url;id[ version];
//    packaging/docker/run.sh (commit 07754534fbaf) passes `url;folder` to `grafana cli --pluginUrl url plugins install id`.
//  - pkg/setting/setting_plugins.go: allow_loading_unsigned_plugins is split on commas (util.SplitString).
// grafana/helm-charts charts/grafana: templates/_config.tpl joins `plugins` with "," into the ConfigMap key that
// templates/_pod.tpl passes as GF_INSTALL_PLUGINS; `datasources` entries become provisioning/datasources files.
import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { parseSettings } from '../../src/backend/kici/settings';

const REPO = path.resolve(__dirname, '../..');
const read = (f: string) => parse(fs.readFileSync(path.join(REPO, f), 'utf8'));
const values = read('deploy/helm/values.yaml');
const version: string = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;

/** setting_plugins.go's GF_INSTALL_PLUGINS entry pattern. */
const INSTALL_ENTRY = /(?:([^;]+);)?([^;\s]+)(?:\s+(.+))?/;

type Entry = Record<string, unknown> & { jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> };

describe('deploy/helm/values.yaml', () => {
  it('installs the released archive of this version as kici-ops-app', () => {
    expect(values.plugins).toHaveLength(1);
    const [, url, id, pinned] = INSTALL_ENTRY.exec(values.plugins[0])!;
    expect(id).toBe('kici-ops-app');
    expect(pinned).toBeUndefined();
    expect(new URL(url).protocol).toBe('https:');
    expect(path.posix.basename(new URL(url).pathname)).toBe(`kici-ops-app-${version}.linux_amd64.zip`);
  });

  it('allow-lists the app and its nested datasource while unsigned', () => {
    const list = String(values['grafana.ini'].plugins.allow_loading_unsigned_plugins).split(',');
    expect(list.map((s) => s.trim()).sort()).toEqual(['kici-ops-app', 'kici-ops-datasource']);
  });

  it('provisions the KiCI datasource with the keys provisioning/datasources/kici.yaml uses, settings the backend accepts', () => {
    const repoEntry: Entry = read('provisioning/datasources/kici.yaml').datasources[0];
    const entries: Entry[] = values.datasources['kici.yaml'].datasources;
    const kici = entries.find((d) => d.type === 'kici-ops-datasource')!;
    expect(kici).toBeDefined();
    expect(Object.keys(kici).filter((k) => !(k in repoEntry))).toEqual([]);
    expect(Object.keys(kici.jsonData!).filter((k) => !(k in repoEntry.jsonData!))).toEqual([]);
    expect(Object.keys(kici.secureJsonData!).sort()).toEqual(Object.keys(repoEntry.secureJsonData!).sort());
    // Secrets come from the environment (envFromSecret), never written in the values.
    for (const v of Object.values(kici.secureJsonData!)) {
      expect(v).toMatch(/^\$[A-Z_]+$/);
    }
    const secure = Object.fromEntries(Object.keys(kici.secureJsonData!).map((k) => [k, 'from-the-secret']));
    expect(parseSettings(kici.jsonData, secure).findings).toEqual([]);
    expect(values.envFromSecret).toBe('kici-grafana');
  });

  it('provisions the app exactly as provisioning/plugins/app.yaml, mounted into provisioning/plugins', () => {
    const configMap = values.extraObjects.find((o: { kind: string }) => o.kind === 'ConfigMap');
    const [file] = Object.keys(configMap.data);
    expect(parse(configMap.data[file])).toEqual(read('provisioning/plugins/app.yaml'));
    expect(values.extraConfigmapMounts).toEqual([
      {
        name: configMap.metadata.name,
        configMap: configMap.metadata.name,
        mountPath: `/etc/grafana/provisioning/plugins/${file}`,
        subPath: file,
        readOnly: true,
      },
    ]);
  });

  it('has a datasource of the right type for every uid the app names', () => {
    const app = parse(values.extraObjects[0].data['kici-app.yaml']).apps[0];
    const byUid = new Map<string, string>(
      values.datasources['kici.yaml'].datasources.map((d: Entry) => [d.uid as string, d.type as string])
    );
    expect({
      kici: byUid.get(app.jsonData.kiciDatasourceUid),
      loki: byUid.get(app.jsonData.lokiDatasourceUid),
      prometheus: byUid.get(app.jsonData.prometheusDatasourceUid),
    }).toEqual({ kici: 'kici-ops-datasource', loki: 'loki', prometheus: 'prometheus' });
  });
});

// Every provisioning file of the repository, read the way Grafana's provisioning readers read them
// (pkg/services/provisioning/{alerting,dashboards,datasources,plugins}). Pure functions over parsed YAML; the one
// function that touches the disk is `readProvisioning`. Each rule and its Grafana source: RULES in ./grafana.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import {
  APP_JSON_DATA_KEYS,
  DATASOURCE_JSON_DATA_KEYS,
  DATASOURCE_SECURE_JSON_DATA_KEYS,
} from '../../src/datasource/query';
import { checkAlertingFile, type AlertingContext } from './alerting';
import { asArray, envRefs, finding, isObject, text, uidProblem, type Finding, type Json } from './grafana';

export type Kind = 'alerting' | 'dashboards' | 'datasources' | 'plugins';
export const KINDS: Kind[] = ['alerting', 'dashboards', 'datasources', 'plugins'];

export interface ProvisioningFile {
  /** Path relative to the repository root. */
  path: string;
  kind: Kind;
  doc: unknown;
}

/** What the repository provides that provisioning refers to. */
export interface RepoContext {
  appId: string;
  datasourceId: string;
  /** Environment the stack gives Grafana (docker-compose.yaml, service grafana). */
  env: Set<string>;
  /** dashboard uid → panel ids (the dashboards in the app's includes). */
  dashboardPanels: Map<string, Set<number>>;
}

/** Grafana reads `<provisioning>/<kind>/*.yaml|*.yml` (not subfolders); alerting also reads *.json. */
export function readProvisioning(root: string, dir = 'provisioning'): ProvisioningFile[] {
  const files: ProvisioningFile[] = [];
  for (const kind of KINDS) {
    let names: string[];
    try {
      names = readdirSync(join(root, dir, kind));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (/\.ya?ml$/.test(name) || (kind === 'alerting' && name.endsWith('.json'))) {
        const path = join(dir, kind, name);
        files.push({ path, kind, doc: parse(readFileSync(join(root, path), 'utf8')) });
      }
    }
  }
  return files;
}

export function checkProvisioning(files: ProvisioningFile[], repo: RepoContext): Finding[] {
  const of = (kind: Kind) => files.filter((f) => f.kind === kind);
  const datasources = of('datasources').flatMap((f) =>
    asArray(isObject(f.doc) ? f.doc.datasources : undefined).map((ds, i) => ({
      where: `${f.path}: datasources[${i}]`,
      ds: isObject(ds) ? ds : {},
    }))
  );
  const out: Finding[] = [];
  out.push(...of('datasources').flatMap((f) => checkDatasourceFile(f)));
  out.push(...checkDatasources(datasources, repo));
  out.push(...checkDashboardProviders(of('dashboards'), repo));
  out.push(...checkApps(of('plugins'), datasources, repo));
  const ctx: AlertingContext = {
    datasourceUids: new Set(datasources.filter(({ ds }) => orgOf(ds.orgId) === 1).map(({ ds }) => text(ds.uid))),
    dashboardPanels: repo.dashboardPanels,
  };
  const seenRuleUids = new Set<string>();
  out.push(...of('alerting').flatMap((f) => checkAlertingFile(f.path, f.doc, ctx, seenRuleUids)));
  return out;
}

function orgOf(orgId: unknown): number {
  const n = Number(text(orgId) || 0);
  return n === 0 ? 1 : n;
}

function checkDatasourceFile(f: ProvisioningFile): Finding[] {
  const apiVersion = isObject(f.doc) ? Number(text(f.doc.apiVersion) || 0) : 0;
  return apiVersion > 0
    ? []
    : [finding('ds.apiVersion', f.path, '[Deprecated] the datasource provisioning config is outdated. please upgrade')];
}

type Located = { where: string; ds: Json };

export function checkDatasources(list: Located[], repo: RepoContext): Finding[] {
  const out: Finding[] = [];
  const defaults = new Map<number, number>();
  const names = new Set<string>();
  const uids = new Set<string>();
  for (const { where, ds } of list) {
    const org = orgOf(ds.orgId);
    if (org !== 1) {
      out.push(finding('ds.org', where, `failed to provision "${text(ds.name)}" data source: org ${org} not found`));
    }
    if (ds.isDefault === true || text(ds.isDefault) === 'true') {
      defaults.set(org, (defaults.get(org) ?? 0) + 1);
      if (defaults.get(org) === 2) {
        out.push(
          finding(
            'ds.default',
            where,
            'datasource.yaml config is invalid. Only one datasource per organization can be marked as default'
          )
        );
      }
    }
    const access = text(ds.access);
    if (access !== '' && access !== 'proxy' && access !== 'direct') {
      out.push(finding('ds.access', where, `invalid access value, will use 'proxy' instead: ${access}`));
    }
    const name = text(ds.name);
    if (name === '' || names.has(`${org}/${name}`)) {
      out.push(finding('ds.name', where, name === '' ? 'no name' : `name "${name}" provisioned twice in org ${org}`));
    }
    names.add(`${org}/${name}`);
    const uid = text(ds.uid);
    const uidIssue =
      uid === '' ? null : (uidProblem(uid) ?? (uids.has(`${org}/${uid}`) ? `uid ${uid} used twice` : null));
    if (uidIssue) {
      out.push(finding('ds.uid', where, uidIssue));
    }
    uids.add(`${org}/${uid}`);
    if (text(ds.type) === '') {
      out.push(finding('ds.type', where, 'no type'));
    }
    if (text(ds.type) === repo.datasourceId) {
      out.push(...pluginKeyFindings(where, ds));
    }
    out.push(...envFindings(where, ds, repo.env));
  }
  return out;
}

function pluginKeyFindings(where: string, ds: Json): Finding[] {
  const out: Finding[] = [];
  const jsonKeys: readonly string[] = DATASOURCE_JSON_DATA_KEYS;
  const secureKeys: readonly string[] = DATASOURCE_SECURE_JSON_DATA_KEYS;
  for (const key of Object.keys(isObject(ds.jsonData) ? ds.jsonData : {})) {
    if (secureKeys.includes(key)) {
      out.push(finding('ds.pluginKeys', where, `jsonData.${key} is a secret: it belongs in secureJsonData`));
    } else if (!jsonKeys.includes(key)) {
      out.push(finding('ds.pluginKeys', where, `jsonData.${key} is not a setting the plugin reads`));
    }
  }
  for (const key of Object.keys(isObject(ds.secureJsonData) ? ds.secureJsonData : {})) {
    if (!secureKeys.includes(key)) {
      out.push(finding('ds.pluginKeys', where, `secureJsonData.${key} is not a secret the plugin reads`));
    }
  }
  return out;
}

/** Every string Grafana interpolates in a datasource or app item: all of it but the plain keys. */
function envFindings(where: string, item: Json, env: Set<string>): Finding[] {
  const strings: Array<[string, string]> = [];
  const walk = (path: string, v: unknown) => {
    if (typeof v === 'string') {
      strings.push([path, v]);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(`${path}[${i}]`, x));
    } else if (isObject(v)) {
      Object.entries(v).forEach(([k, x]) => walk(path ? `${path}.${k}` : k, x));
    }
  };
  walk('', item);
  return strings.flatMap(([path, s]) =>
    envRefs(s)
      .filter((name) => !env.has(name))
      .map((name) => finding('provisioning.env', where, `${path}: $${name} is not set in Grafana's environment`))
  );
}

export function checkDashboardProviders(files: ProvisioningFile[], repo: RepoContext): Finding[] {
  const out: Finding[] = [];
  const names = new Set<string>();
  const folderUids = new Set<string>();
  for (const f of files) {
    const doc = isObject(f.doc) ? f.doc : {};
    if (!(Number(text(doc.apiVersion) || 0) > 0)) {
      out.push(finding('dash.apiVersion', f.path, 'no apiVersion: read as a v0 list of providers'));
      continue;
    }
    asArray(doc.providers).forEach((p, i) => {
      const where = `${f.path}: providers[${i}]`;
      const provider = isObject(p) ? p : {};
      const org = orgOf(provider.orgId);
      if (org !== 1) {
        out.push(
          finding(
            'dash.org',
            where,
            `failed to provision dashboards with "${text(provider.name)}" reader: org ${org} not found`
          )
        );
      }
      const type = text(provider.type) || 'file';
      if (type !== 'file') {
        out.push(finding('dash.type', where, `type ${type} is not supported`));
      }
      const options = isObject(provider.options) ? provider.options : {};
      const path = text(options.path) || text(options.folder);
      if (type === 'file' && typeof options.path !== 'string' && typeof options.folder !== 'string') {
        out.push(finding('dash.path', where, 'failed to load dashboards, path param is not a string'));
      }
      if (
        options.foldersFromFilesStructure === true &&
        text(provider.folder) !== '' &&
        text(provider.folderUid) !== ''
      ) {
        out.push(
          finding(
            'dash.foldersFromFilesStructure',
            where,
            "'folder' and 'folderUID' should be empty using 'foldersFromFilesStructure' option"
          )
        );
      }
      if (text(provider.folderUid) === 'general') {
        out.push(finding('dash.generalFolder', where, 'folderUid "general" is not a folder Grafana creates'));
      }
      if (path.replace(/\/+$/, '').startsWith(`/var/lib/grafana/plugins/${repo.appId}`)) {
        out.push(finding('dash.appIncludes', where, `${path} holds the app's included dashboards`));
      }
      const name = text(provider.name);
      if (names.has(name)) {
        out.push(finding('dash.name', where, `provider name "${name}" used twice`));
      }
      names.add(name);
      const folderUid = text(provider.folderUid);
      if (folderUid !== '' && folderUids.has(folderUid)) {
        out.push(finding('dash.folderUid', where, `the same folder UID is used more than once: ${folderUid}`));
      }
      folderUids.add(folderUid);
    });
  }
  return out;
}

const APP_ITEM_KEYS = ['type', 'org_id', 'org_name', 'disabled', 'jsonData', 'secureJsonData'];
/** App jsonData key → the datasource type its uid must name. */
const APP_DATASOURCE_TYPES: Record<string, string> = {
  kiciDatasourceUid: 'kici-ops-datasource',
  lokiDatasourceUid: 'loki',
  prometheusDatasourceUid: 'prometheus',
};

export function checkApps(files: ProvisioningFile[], datasources: Located[], repo: RepoContext): Finding[] {
  const out: Finding[] = [];
  const typeOfUid = new Map(datasources.map(({ ds }) => [text(ds.uid), text(ds.type)]));
  for (const f of files) {
    asArray(isObject(f.doc) ? f.doc.apps : undefined).forEach((a, i) => {
      const where = `${f.path}: apps[${i}]`;
      const app = isObject(a) ? a : {};
      const type = text(app.type);
      if (type === '') {
        out.push(finding('app.type', where, `app item ${i + 1} in configuration doesn't contain required field type`));
      } else if (type !== repo.appId) {
        out.push(finding('app.installed', where, `plugin not installed: "${type}"`));
      }
      const orgId = Number(text(app.org_id) || 0);
      if (orgId > 1 || (orgId < 1 && text(app.org_name) !== '')) {
        out.push(
          finding('app.org', where, `org ${orgId > 1 ? orgId : text(app.org_name)} is not an org a fresh Grafana has`)
        );
      }
      for (const key of Object.keys(app).filter((k) => !APP_ITEM_KEYS.includes(k))) {
        out.push(finding('app.keys', where, `${key} is not a key Grafana reads (ignored)`));
      }
      const jsonData = isObject(app.jsonData) ? app.jsonData : {};
      const appKeys: readonly string[] = APP_JSON_DATA_KEYS;
      for (const key of Object.keys(jsonData).filter((k) => !appKeys.includes(k))) {
        out.push(finding('app.pluginKeys', where, `jsonData.${key} is not a setting the app reads`));
      }
      for (const key of Object.keys(isObject(app.secureJsonData) ? app.secureJsonData : {})) {
        out.push(finding('app.pluginKeys', where, `secureJsonData.${key}: the app reads no secrets`));
      }
      for (const [key, wanted] of Object.entries(APP_DATASOURCE_TYPES)) {
        const uid = text(jsonData[key]);
        if (uid !== '' && typeOfUid.get(uid) !== wanted) {
          out.push(
            finding('app.datasourceRefs', where, `jsonData.${key} "${uid}" is not a provisioned ${wanted} datasource`)
          );
        }
      }
      out.push(...envFindings(where, app, repo.env));
    });
  }
  return out;
}

// Reads Grafana provisioning files (`provisioning/plugins/*.yaml`, `provisioning/datasources/*.yaml`) the way
// Grafana does, including its `$VAR` / `${VAR}` interpolation of string values, so the host serves the same
// settings a provisioned Grafana would.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

export interface ProvisionedApp {
  type: string;
  org_id?: number;
  disabled?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export interface ProvisionedDatasource {
  name: string;
  type: string;
  uid: string;
  access?: string;
  isDefault?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export interface Provisioning {
  apps: ProvisionedApp[];
  datasources: ProvisionedDatasource[];
}

/** Grafana's expansion: `$VAR` and `${VAR}` become the variable (empty when unset), `$$` a literal `$`. */
export function interpolateEnv(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (match, braced?: string, bare?: string) =>
    match === '$$' ? '$' : (env[braced ?? bare ?? ''] ?? '')
  );
}

/** Interpolates every string inside `value` (numbers and booleans stay as written). */
export function interpolateDeep<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') {
    return interpolateEnv(value, env) as T;
  }
  if (Array.isArray(value)) {
    return value.map((v) => interpolateDeep(v, env)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)])) as T;
  }
  return value;
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw err;
  }
}

function readDocs(file: string): Record<string, unknown> {
  try {
    return (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`);
  }
}

export function readProvisioning(dir: string, env: Record<string, string | undefined>): Provisioning {
  const apps = yamlFiles(path.join(dir, 'plugins')).flatMap(
    (f) => (readDocs(f).apps as ProvisionedApp[] | undefined) ?? []
  );
  const datasources = yamlFiles(path.join(dir, 'datasources')).flatMap(
    (f) => (readDocs(f).datasources as ProvisionedDatasource[] | undefined) ?? []
  );
  for (const ds of datasources) {
    if (!ds.uid || !ds.type) {
      throw new Error(`provisioned datasource ${JSON.stringify(ds.name)} needs a uid and a type`);
    }
  }
  return { apps: interpolateDeep(apps, env), datasources: interpolateDeep(datasources, env) };
}

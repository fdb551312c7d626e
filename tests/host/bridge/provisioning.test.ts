import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { interpolateDeep, interpolateEnv, readProvisioning } from './provisioning';

const REPO = path.resolve(__dirname, '../../..');

it('expands $VAR and ${VAR}, unset to empty, $$ to $', () => {
  const env = { A: 'x', B_2: 'y' };
  expect(interpolateEnv('$A-${B_2}-$MISSING-$$A', env)).toBe('x-y--$A');
});

it('interpolates strings only, deep', () => {
  expect(interpolateDeep({ a: ['$A', 5, true], b: { c: '${A}' } }, { A: '1' })).toEqual({
    a: ['1', 5, true],
    b: { c: '1' },
  });
});

it("reads the repo's provisioning with the env the bridge sets", () => {
  const p = readProvisioning(path.join(REPO, 'provisioning'), {
    KICI_PG_HOST: '127.0.0.1',
    KICI_PG_DATABASE: 'kici_demo',
    KICI_PG_USER: 'postgres',
    KICI_PG_PASSWORD: 's3cret',
    KICI_ADMIN_TOKEN: 'kici_admin_x',
  });
  const app = p.apps.find((a) => a.type === 'kici-ops-app');
  expect(app?.jsonData?.kiciDatasourceUid).toBe('kici');
  const ds = p.datasources.find((d) => d.uid === app?.jsonData?.kiciDatasourceUid);
  expect(ds?.type).toBe('kici-ops-datasource');
  expect(ds?.jsonData).toMatchObject({ pgHost: '127.0.0.1', pgDatabase: 'kici_demo', pgUser: 'postgres' });
  expect(typeof ds?.jsonData?.pgPort).toBe('number');
  expect(ds?.secureJsonData).toEqual({ pgPassword: 's3cret', adminToken: 'kici_admin_x' });
});

it('names the file when the YAML is broken and rejects a datasource without uid', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kici-prov-'));
  try {
    mkdirSync(path.join(dir, 'datasources'));
    writeFileSync(path.join(dir, 'datasources', 'bad.yaml'), 'datasources: [ {name: x\n');
    expect(() => readProvisioning(dir, {})).toThrow(/bad\.yaml: not valid YAML/);
    writeFileSync(path.join(dir, 'datasources', 'bad.yaml'), 'datasources:\n  - name: x\n    type: t\n');
    expect(() => readProvisioning(dir, {})).toThrow(/"x" needs a uid/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

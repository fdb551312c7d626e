// Builders for tests that drive a datasource instance directly (without the executable): settings as Grafana sends
// them, and a logger that drops everything.
import type { DataSourceSettings, Logger } from './types';

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, with: () => silentLogger };

/** Datasource settings with uid `kici`, the given jsonData and decrypted secure fields. */
export function datasourceSettings(
  jsonData: unknown = {},
  decryptedSecureJsonData: Record<string, string> = {},
  overrides: Partial<DataSourceSettings> = {}
): DataSourceSettings {
  return {
    id: 1,
    uid: 'kici',
    name: 'KiCI',
    url: '',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData,
    decryptedSecureJsonData,
    lastUpdatedMS: Date.now(),
    apiVersion: '',
    ...overrides,
  };
}

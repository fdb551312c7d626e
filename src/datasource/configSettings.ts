import type { DataSourceSettings } from '@grafana/data';

import type { KiciDataSourceOptions, KiciSecureJsonData, PostgresSslMode } from './query';
import type { KiciJsonData } from './types';

export type KiciSettings = DataSourceSettings<KiciJsonData, KiciSecureJsonData>;
export type SecureKey = keyof KiciSecureJsonData;

export function withJsonData(options: KiciSettings, patch: Partial<KiciDataSourceOptions>): KiciSettings {
  return { ...options, jsonData: { ...options.jsonData, ...patch } };
}

/** Grafana never sends a stored secret back: `secureJsonFields[key]` only says whether one is set. */
export function isSecureConfigured(options: KiciSettings, key: SecureKey): boolean {
  return Boolean(options.secureJsonFields?.[key]);
}

export function withSecureValue(options: KiciSettings, key: SecureKey, value: string): KiciSettings {
  return { ...options, secureJsonData: { ...options.secureJsonData, [key]: value } };
}

/** Reset clears the stored secret on save (an empty value with the field marked unset). */
export function withSecureReset(options: KiciSettings, key: SecureKey): KiciSettings {
  return {
    ...options,
    secureJsonFields: { ...options.secureJsonFields, [key]: false },
    secureJsonData: { ...options.secureJsonData, [key]: '' },
  };
}

export function needsCaCert(mode: PostgresSslMode | undefined): boolean {
  return mode === 'verify-ca' || mode === 'verify-full';
}

/** A whole positive number from a text field, or undefined for empty/invalid text (the backend then uses its default). */
export function parsePositiveInt(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    return undefined;
  }
  const value = Number(trimmed);
  return value > 0 && Number.isSafeInteger(value) ? value : undefined;
}

/** Why a base URL is unusable, or undefined when it is fine. */
export function urlProblem(url: string): string | undefined {
  const trimmed = url.trim();
  if (trimmed === '') {
    return 'Enter a URL such as http://orchestrator:4000';
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return 'Not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'Use http:// or https://';
  }
  if (parsed.username || parsed.password) {
    return 'Do not put credentials in the URL; use the admin token field';
  }
  if (parsed.search || parsed.hash) {
    return 'A base URL has no query string or fragment';
  }
  return undefined;
}

export function replaceAt<T>(list: readonly T[], index: number, value: T): T[] {
  return list.map((item, i) => (i === index ? value : item));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

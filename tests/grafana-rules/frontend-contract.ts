// Pure checks of the frontend contract (see shared-dependencies.ts for the facts and their sources).
import semver from 'semver';

import { AMD_BUILTIN_IDS, SHARED_DEPENDENCIES, type SharedDependencyRow } from './shared-dependencies';

/** The ids in a webpack AMD bundle's `define([...], factory)`, in order. */
export function amdDependencies(source: string): string[] {
  const match = /\bdefine\(\s*(\[[^\]]*\])/.exec(source);
  if (!match) {
    throw new Error('no AMD define([...]) found: is this a module.js built by the create-plugin webpack config?');
  }
  return JSON.parse(match[1]) as string[];
}

interface Span {
  row: SharedDependencyRow;
  /** The versions this row speaks for: from its version up to the next row (or the end of its minor). */
  span: string;
}

function nextMinor(version: string): string {
  const v = semver.parse(version)!;
  return `${v.major}.${v.minor + 1}.0`;
}

function spans(): Span[] {
  const rows = [...SHARED_DEPENDENCIES].sort((a, b) => semver.compare(a.version, b.version));
  return rows.map((row, i) => {
    const next = rows[i + 1]?.version ?? nextMinor(row.version);
    return { row, span: `>=${row.version} <${next}` };
  });
}

function parseRange(range: string): string {
  const valid = semver.validRange(range);
  if (!valid) {
    throw new Error(`grafanaDependency "${range}" is not a semver range`);
  }
  return valid;
}

/** The table rows whose versions the range admits. */
export function rowsInRange(range: string): SharedDependencyRow[] {
  const valid = parseRange(range);
  return spans()
    .filter(({ span }) => semver.intersects(valid, span))
    .map(({ row }) => row);
}

/** Versions the range admits that the table cannot speak for (newer than its newest minor), or null. */
export function beyondTable(range: string): string | null {
  const valid = parseRange(range);
  const all = spans();
  const end = nextMinor(all[all.length - 1].row.version);
  return semver.intersects(valid, `>=${end}`) ? `>=${end}` : null;
}

/** Each id of the define list that some version in the range does not provide, with those versions. */
export function unprovidedIds(ids: string[], range: string): Array<{ id: string; versions: string[] }> {
  const rows = rowsInRange(range);
  return ids
    .filter((id) => !AMD_BUILTIN_IDS.includes(id))
    .map((id) => ({ id, versions: rows.filter((row) => !row.ids.includes(id)).map((row) => row.version) }))
    .filter(({ versions }) => versions.length > 0);
}

// React 18's react/jsx-runtime reads React's internals by this name when it is evaluated; React 19 renamed them
// (plugin-tools packages/react-detect/src/patterns/definitions.ts, pattern `__SECRET_INTERNALS`).
export const REACT18_INTERNALS = '__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED';

/** Versions in the range that run plugins on React 19, where a bundle carrying React 18 internals fails to load. */
export function react19VersionsInRange(range: string): string[] {
  return rowsInRange(range)
    .filter((row) => row.react === 19)
    .map((row) => row.version);
}

// What differs between the Grafana versions the host page can stand for (build.mjs compiles in the @grafana/runtime
// version it bundled), so the page built against tests/host/lowest behaves as that oldest Grafana does.

function parse(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) {
    throw new Error(`not a Grafana version: ${version}`);
  }
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * Whether Grafana shares `react/jsx-runtime` with plugins. It does from 11.6.11, 12.0.10, 12.1.7 and 12.2.5 on:
 * grafana/plugin-tools packages/create-plugin/src/codemods/additions/scripts/externalize-jsx-runtime.ts
 * (`semverRanges`, read at 7b1f4fd) adds the external only for `>=11.6.11 <12 || >=12.0.10 <12.1 ||
 * >=12.1.7 <12.2 || >=12.2.5`. An older host must not provide it, so a plugin that needs it fails to load there.
 */
export function sharesJsxRuntime(version: string): boolean {
  const [major, minor, patch] = parse(version);
  const firstPatch: Record<string, number> = { '11.6': 11, '12.0': 10, '12.1': 7, '12.2': 5 };
  const key = `${major}.${minor}`;
  if (key in firstPatch) {
    return patch >= firstPatch[key];
  }
  return major > 12 || (major === 12 && minor > 2);
}

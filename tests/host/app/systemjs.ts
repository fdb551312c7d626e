// SystemJS with its AMD extra, set up as Grafana sets it up (public/app/features/plugins/loader/systemjsHooks.ts):
// the AMD `define` is hidden from host code (lodash and other UMD bundles would otherwise register through it) and
// passed to each fetched plugin file in a wrapper; every module is fetched, never injected as a <script>.
// Imported first by main.tsx, before any UMD module of the host bundle evaluates.
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';

type SystemJS = {
  set(id: string, ns: object): void;
  import(id: string): Promise<any>;
  addImportMap(map: { imports: Record<string, string> }): void;
  shouldFetch: (url: string) => boolean;
  fetch: (url: string, opts?: RequestInit) => Promise<Response>;
  resolve(id: string, parent?: string): string;
};

const w = window as unknown as { System: SystemJS; define?: unknown; __grafana_amd_define?: unknown };
w.__grafana_amd_define = w.define;
delete w.define;

export const System = w.System;

System.shouldFetch = () => true;
const systemFetch = System.fetch.bind(System);
System.fetch = async (url, opts) => {
  const res = await systemFetch(url, opts);
  if (!res.ok || !/javascript/.test(res.headers.get('content-type') ?? '')) {
    return res;
  }
  const source = await res.text();
  const wrapped = `(function(define) {\n${source}\n})(window.__grafana_amd_define);\n//# sourceURL=${url}`;
  return new Response(wrapped, { status: res.status, headers: { 'Content-Type': 'application/javascript' } });
};

/** Grafana's buildImportMap(): every shared module under `package:<name>`. */
export function shareModules(modules: Record<string, object>): void {
  const imports: Record<string, string> = {};
  for (const [name, ns] of Object.entries(modules)) {
    System.set(`package:${name}`, ns);
    imports[name] = `package:${name}`;
  }
  System.addImportMap({ imports });
}

/** Imports an AMD plugin module; webpack's top-level await makes its exports a Promise, which is awaited. */
export async function importPlugin(url: string): Promise<Record<string, any>> {
  const ns = await System.import(url);
  const exports = ns.__useDefault ? ns.default : ns;
  return exports && typeof exports.then === 'function' ? await exports : exports;
}

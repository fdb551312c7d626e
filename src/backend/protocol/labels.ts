// Label values for the plugin's metrics come from request data (query types, resource paths), so they are bounded.
// Kept apart from metrics.ts so the call path does not load prom-client before the handshake.

/** Caps the distinct values of a label fed by callers; anything odd or beyond the cap becomes `other`. */
export class LabelLimiter {
  private readonly seen = new Set<string>();

  constructor(private readonly max = 64) {}

  value(raw: string): string {
    const v = raw === '' ? 'none' : raw;
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(v)) {
      return 'other';
    }
    if (this.seen.has(v)) {
      return v;
    }
    if (this.seen.size >= this.max) {
      return 'other';
    }
    this.seen.add(v);
    return v;
  }
}

/** The first path segment names a resource route; unknown routes (404) share one label value. */
export function resourceEndpoint(path: string, status: number): string {
  if (status === 404) {
    return 'not_found';
  }
  return path.replace(/^\/+/, '').split(/[/?]/)[0] || 'root';
}

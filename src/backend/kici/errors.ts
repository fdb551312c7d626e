// One error type for every KiCI source, so features and health checks can say which source,
// which node and which route failed without parsing messages.

export type KiciSourceKind = 'postgres' | 'orchestrator' | 'platform' | 'agent';

export type KiciFailure =
  | 'not-configured'
  | 'unreachable'
  | 'timeout'
  | 'cancelled'
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'http'
  | 'invalid-response'
  | 'too-large'
  | 'query';

export interface KiciSourceErrorInit {
  source: KiciSourceKind;
  failure: KiciFailure;
  /** Node URL or `host:port` of the source. */
  target: string;
  /** HTTP route (`GET /health`) when the source is HTTP. */
  route?: string;
  status?: number;
  /** What an operator can do about it. */
  hint?: string;
  cause?: unknown;
}

export class KiciSourceError extends Error {
  readonly source: KiciSourceKind;
  readonly failure: KiciFailure;
  readonly target: string;
  readonly route?: string;
  readonly status?: number;
  readonly hint?: string;

  constructor(message: string, init: KiciSourceErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'KiciSourceError';
    this.source = init.source;
    this.failure = init.failure;
    this.target = init.target;
    this.route = init.route;
    this.status = init.status;
    this.hint = init.hint;
  }
}

export function isKiciSourceError(err: unknown): err is KiciSourceError {
  return err instanceof KiciSourceError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

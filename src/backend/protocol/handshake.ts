// go-plugin's side of the launch: the magic cookie, protocol version negotiation and the handshake line.

export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';
/** go-plugin's CoreProtocolVersion. */
export const CORE_PROTOCOL_VERSION = 1;
/** Grafana's plugin protocol (grpcplugin.ProtocolVersion); Grafana refuses anything lower. */
export const SUPPORTED_APP_VERSIONS = [2] as const;

export const NOT_A_STANDALONE_PROGRAM =
  'This binary is a plugin. These are not meant to be executed directly. ' +
  'Please execute the program that consumes these plugins, which will load any plugins automatically.';

export function hasMagicCookie(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

/**
 * go-plugin's rule: the highest of our versions listed in PLUGIN_PROTOCOL_VERSIONS; when none is listed (or the
 * variable is absent) our lowest, and the host decides whether to accept it.
 */
export function negotiateVersion(hostVersions: string | undefined, ours: readonly number[] = SUPPORTED_APP_VERSIONS) {
  const offered = new Set(
    (hostVersions ?? '')
      .split(',')
      .map((v) => Number(v.trim()))
      .filter((v) => Number.isInteger(v))
  );
  const common = ours.filter((v) => offered.has(v));
  return common.length ? Math.max(...common) : Math.min(...ours);
}

export type Listener = { network: 'tcp'; host: string; port: number } | { network: 'unix'; path: string };

/** `CORE|APP|NETWORK|ADDR|PROTOCOL`; the `grpc` field is required (go-plugin assumes netrpc without it). */
export function handshakeLine(appVersion: number, listener: Listener): string {
  const address = listener.network === 'tcp' ? `${listener.host}:${listener.port}` : listener.path;
  return `${CORE_PROTOCOL_VERSION}|${appVersion}|${listener.network}|${address}|grpc\n`;
}

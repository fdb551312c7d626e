// KiCI source errors -> PluginError with an HTTP status and error source Grafana understands.
import { isKiciSourceError, errorMessage } from '../kici/errors';
import { PluginError } from '../protocol/types';

export function toPluginError(err: unknown): PluginError {
  if (err instanceof PluginError) {
    return err;
  }
  if (isKiciSourceError(err)) {
    const text = err.hint ? `${err.message} — ${err.hint}` : err.message;
    switch (err.failure) {
      case 'not-configured':
        return new PluginError(text, 400, 'plugin');
      case 'cancelled':
        return new PluginError(text, 499, 'plugin');
      case 'timeout':
        return new PluginError(text, 504, 'downstream');
      // Never 401: Grafana's frontend treats a 401 from any API call as an expired session.
      case 'forbidden':
        return new PluginError(text, err.status === 403 ? 403 : 502, 'downstream');
      case 'not-found':
        return new PluginError(text, err.status === 404 ? 404 : 502, 'downstream');
      default:
        return new PluginError(text, 502, 'downstream');
    }
  }
  return new PluginError(`internal error: ${errorMessage(err)}`, 500, 'plugin');
}

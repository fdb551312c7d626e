import { type BackendSrvRequest, setBackendSrv } from '@grafana/runtime';
import { of, throwError } from 'rxjs';

import { DlqResourceError, DlqResources, resourceError } from './api';

describe('resourceError', () => {
  it("keeps the backend's own sentence and status", () => {
    const e = resourceError({ status: 403, data: { error: 'retry needs the Grafana Editor role; viewer has Viewer' } });
    expect(e).toBeInstanceOf(DlqResourceError);
    expect(e.message).toBe('retry needs the Grafana Editor role; viewer has Viewer');
    expect(e.status).toBe(403);
  });

  it('falls back to Grafana’s message, the status text, then the error itself', () => {
    expect(resourceError({ status: 502, data: { message: 'Plugin unavailable' } }).message).toBe('Plugin unavailable');
    expect(resourceError({ status: 504, statusText: 'Gateway Timeout', data: null }).message).toBe('Gateway Timeout');
    expect(resourceError(new Error('offline'))).toMatchObject({ message: 'offline', status: 0 });
  });
});

describe('DlqResources', () => {
  it('calls the datasource resources without Grafana’s own error popups', async () => {
    const seen: BackendSrvRequest[] = [];
    setBackendSrv({
      fetch: (options: BackendSrvRequest) => {
        seen.push(options);
        return options.method === 'DELETE'
          ? throwError(() => ({ status: 404, data: { error: 'event x is not in the DLQ' } }))
          : of({ data: { ok: true }, status: 200 });
      },
    } as never);
    const r = new DlqResources('ds/1');
    await r.retry('abc');
    await r.bulkRetryDryRun({ filter: { eventName: 'a' } });
    await expect(r.discard('abc')).rejects.toMatchObject({ message: 'event x is not in the DLQ', status: 404 });
    expect(seen.map((o) => [o.method, o.url, o.data, o.showErrorAlert])).toEqual([
      ['POST', '/api/datasources/uid/ds%2F1/resources/dlq/abc/retry', undefined, false],
      ['POST', '/api/datasources/uid/ds%2F1/resources/dlq/retry', { filter: { eventName: 'a' }, dryRun: true }, false],
      ['DELETE', '/api/datasources/uid/ds%2F1/resources/dlq/abc', undefined, false],
    ]);
  });
});

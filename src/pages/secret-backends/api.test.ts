import { type BackendSrv, type BackendSrvRequest, setBackendSrv } from '@grafana/runtime';
import { of, throwError } from 'rxjs';

import { resourceErrorMessage, SecretBackendResources } from './api';

describe('secret backend resources', () => {
  let requests: BackendSrvRequest[];

  beforeEach(() => {
    requests = [];
    setBackendSrv({
      fetch: (req: BackendSrvRequest) => {
        requests.push(req);
        return req.url.endsWith('/sync')
          ? throwError(() => ({ status: 403, statusText: 'Forbidden', data: { message: 'Access denied' } }))
          : of({ data: { ok: true }, status: 200 });
      },
    } as unknown as BackendSrv);
  });

  it('escapes the backend name into one path segment and keeps Grafana from showing its own alert', async () => {
    await new SecretBackendResources('kici ds').run('test', 'team/a b');
    expect(requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/api/datasources/uid/kici%20ds/resources/secret-backends/team%2Fa%20b/test',
        showErrorAlert: false,
      }),
    ]);
  });

  it("turns Grafana's own refusal ({message}) into an error with its status", async () => {
    await expect(new SecretBackendResources('kici').run('sync', 'pg')).rejects.toMatchObject({
      message: 'Access denied',
      status: 403,
    });
  });

  it('words any other failure', () => {
    expect(resourceErrorMessage(new Error('offline')).message).toBe('offline');
    expect(resourceErrorMessage({ status: 502, data: {}, statusText: '' }).message).toBe('HTTP 502');
    expect(resourceErrorMessage({ status: 502, data: { error: 'no orchestrator answered' } }).message).toBe(
      'no orchestrator answered'
    );
  });
});

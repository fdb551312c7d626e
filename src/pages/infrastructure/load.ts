// Reading `GET infrastructure` from the KiCI datasource's resources.
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import type { DataSourceRef } from '@grafana/schema';
import { map, type Observable } from 'rxjs';

import type { Infrastructure } from '../../datasource/infrastructure/model';

export function infrastructureUrl(datasource: DataSourceRef): string {
  return `/api/datasources/uid/${encodeURIComponent(datasource.uid ?? '')}/resources/infrastructure`;
}

export function fetchInfrastructure(datasource: DataSourceRef): Observable<Infrastructure> {
  return getBackendSrv()
    .fetch<Infrastructure>({
      url: infrastructureUrl(datasource),
      method: 'GET',
      showErrorAlert: false,
      showSuccessAlert: false,
    })
    .pipe(map((r) => checkModel(r.data)));
}

/** The backend's answer, or a clear error when something else answered (e.g. an old plugin build). */
export function checkModel(data: unknown): Infrastructure {
  const m = data as Partial<Infrastructure> | null;
  if (!m || typeof m !== 'object' || !Array.isArray(m.orchestrators) || !Array.isArray(m.statefulAgents)) {
    throw new Error('the datasource answered GET infrastructure without an infrastructure model');
  }
  return m as Infrastructure;
}

/** The resource's `{error}` body (the backend's message and hint), else the HTTP status, else the error text. */
export function loadError(err: unknown): string {
  if (isFetchError(err)) {
    const body = err.data as { error?: unknown; message?: unknown } | undefined;
    const text = typeof body?.error === 'string' ? body.error : typeof body?.message === 'string' ? body.message : null;
    return text ?? `HTTP ${err.status}${err.statusText ? ` ${err.statusText}` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

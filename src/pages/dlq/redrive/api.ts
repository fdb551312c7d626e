// The datasource's `dlq/redrive` resources (src/backend/features/redrive/index.ts).
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { resourceError } from '../api';

import type { RedriveView } from '../../../datasource/redrive';

export type { RedriveState, RedriveView } from '../../../datasource/redrive';

/** `POST dlq/redrive`: the DLQ filter, or a signature's events among it (the backend resolves them at start). */
export interface StartBody {
  filter: Record<string, string | number>;
  signatureId?: string;
  rate: number;
  description: string;
}

export class RedriveResources {
  constructor(readonly datasourceUid: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
    try {
      const url = `/api/datasources/uid/${encodeURIComponent(this.datasourceUid)}/resources/${path}`;
      const r = await lastValueFrom(
        getBackendSrv().fetch<T>({ url, method, data, showErrorAlert: false, showSuccessAlert: false })
      );
      return r.data;
    } catch (err) {
      throw resourceError(err);
    }
  }

  current(): Promise<{ redrive: RedriveView | null }> {
    return this.call('GET', 'dlq/redrive');
  }

  start(body: StartBody) {
    return this.call<{ redrive: RedriveView }>('POST', 'dlq/redrive', body);
  }

  cancel(id: string) {
    return this.call<{ redrive: RedriveView }>('POST', `dlq/redrive/${encodeURIComponent(id)}/cancel`);
  }
}

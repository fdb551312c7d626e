// The Loki datasource the Traces page searches: the one chosen on the app configuration page (`lokiDatasourceUid`).
// No guessing when none is chosen: a stack can hold several Loki datasources and only one has KiCI's logs.
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { KiciAppSettings } from '../../datasource/query';

export type LokiChoice =
  | { status: 'ok'; uid: string; name: string }
  /** No Loki datasource chosen on the app configuration page; `available` names the Loki datasources there are. */
  | { status: 'not-configured'; available: string[] }
  /** The chosen uid does not exist (deleted, or provisioned under another uid). */
  | { status: 'missing'; uid: string; available: string[] }
  /** The chosen uid is a datasource of another type. */
  | { status: 'wrong-type'; uid: string; name: string; type: string };

export function resolveLokiDatasource(
  settings: KiciAppSettings | undefined,
  all: Array<Pick<DataSourceInstanceSettings, 'uid' | 'name' | 'type'>>
): LokiChoice {
  const available = all.filter((ds) => ds.type === 'loki').map((ds) => ds.name);
  const uid = settings?.lokiDatasourceUid?.trim();
  if (!uid) {
    return { status: 'not-configured', available };
  }
  const chosen = all.find((ds) => ds.uid === uid);
  if (!chosen) {
    return { status: 'missing', uid, available };
  }
  if (chosen.type !== 'loki') {
    return { status: 'wrong-type', uid, name: chosen.name, type: chosen.type };
  }
  return { status: 'ok', uid, name: chosen.name };
}

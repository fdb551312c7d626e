// Grafana's Loki datasource is core (not on npm): this stand-in is a plain backend datasource, so its queries go to
// `POST /api/ds/query` where the bridge answers them from the sims' log lines (tests/host/bridge/loki.ts).
import type { DataSourceInstanceSettings } from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';

export interface LokiQuery extends DataQuery {
  expr: string;
  queryType?: 'range' | 'instant';
  maxLines?: number;
  direction?: 'forward' | 'backward';
}

export class LokiStandIn extends DataSourceWithBackend<LokiQuery> {
  constructor(settings: DataSourceInstanceSettings) {
    super(settings);
  }

  filterQuery(query: LokiQuery): boolean {
    return !query.hide && Boolean(query.expr?.trim());
  }
}

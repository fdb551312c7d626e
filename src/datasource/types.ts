import type { DataSourceJsonData } from '@grafana/data';

import type { KiciDataSourceOptions } from './query';

/** query.ts stays free of Grafana imports (the backend shares it); the frontend adds Grafana's base jsonData here. */
export type KiciJsonData = KiciDataSourceOptions & DataSourceJsonData;

import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { DataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import type { KiciQuery, KiciSecureJsonData } from './query';
import type { KiciJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, KiciQuery, KiciJsonData, KiciSecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);

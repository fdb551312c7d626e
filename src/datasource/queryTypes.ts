import { QUERY_TYPES, type KiciQuery, type QueryType } from './query';

/** Query options an editor can show; `sort` covers `sort` and `sortDirection`. */
export type QueryOption =
  | 'routingKey'
  | 'excludeTestRuns'
  | 'useTimeRange'
  | 'eventName'
  | 'repo'
  | 'errorText'
  | 'sort'
  | 'limit'
  | 'series'
  | 'section';

export interface QueryTypeInfo {
  value: QueryType;
  label: string;
  description: string;
  options: QueryOption[];
}

const INFO: Record<QueryType, Omit<QueryTypeInfo, 'value'>> = {
  health: {
    label: 'Health matrix',
    description:
      'One row per checked component: PostgreSQL, each orchestrator /health and /ready, the admin token, Platform',
    options: [],
  },
  schemaInfo: {
    label: 'Schema info',
    description: 'Orchestrator schema layout (0.1.x or 0.9.x), latest kysely migration, optional tables present',
    options: [],
  },
  dlqEvents: {
    label: 'DLQ events',
    description: 'Events in the event dead-letter queue, filtered and sorted, one page at a time',
    options: ['routingKey', 'eventName', 'repo', 'errorText', 'useTimeRange', 'sort', 'limit'],
  },
  dlqDepth: {
    label: 'DLQ depth',
    description: 'Number of events in the dead-letter queue (suitable for alerting), or admissions over time',
    options: ['routingKey', 'eventName', 'repo', 'errorText', 'series'],
  },
  dlqSignatures: {
    label: 'DLQ error signatures',
    description:
      'DLQ events grouped by their last error with ids, numbers, hosts, timestamps and quoted values normalised away: count, first and last admission, event names, routing keys, a sample error and admissions over the time range',
    options: ['routingKey', 'eventName', 'repo', 'errorText'],
  },
  eventDelivery: {
    label: 'Event delivery',
    description: 'Event backlog by state (pending, claimed, retrying, dead-lettered) and active leases',
    options: ['section'],
  },
  executionMetrics: {
    label: 'Execution metrics',
    description: 'Runs, success rate and average duration over the last 24 hours (or the dashboard time range)',
    options: ['routingKey', 'excludeTestRuns', 'useTimeRange'],
  },
  executions: {
    label: 'Executions',
    description: 'Recent execution runs with status, repository and duration',
    options: ['routingKey', 'repo', 'excludeTestRuns', 'limit'],
  },
  secretBackends: {
    label: 'Secret backends',
    description: 'Configured secret backends with health, last sync and last error',
    options: [],
  },
  infrastructure: {
    label: 'Infrastructure',
    description: 'Orchestrators, scaler pools and agents (with KiCI Platform details when configured)',
    options: ['routingKey'],
  },
  orphanedConnections: {
    label: 'Orphaned connections',
    description: 'Connections the KiCI Platform holds for orchestrators that are gone (needs the Platform)',
    options: [],
  },
};

export const QUERY_TYPE_INFOS: QueryTypeInfo[] = QUERY_TYPES.map((value) => ({ value, ...INFO[value] }));

export function queryTypeInfo(queryType: QueryType): QueryTypeInfo {
  return { value: queryType, ...INFO[queryType] };
}

const OPTION_KEYS: Record<QueryOption, Array<keyof KiciQuery>> = {
  routingKey: ['routingKey'],
  excludeTestRuns: ['excludeTestRuns'],
  useTimeRange: ['useTimeRange'],
  eventName: ['eventName'],
  repo: ['repo'],
  errorText: ['errorText'],
  sort: ['sort', 'sortDirection'],
  limit: ['limit'],
  series: ['series'],
  section: ['section'],
};

/** Switches the query type and drops the options the new type does not use (and any paging cursor). */
export function withQueryType<Q extends KiciQuery>(query: Q, queryType: QueryType): Q {
  const used = new Set(INFO[queryType].options);
  const next: Q = { ...query, queryType };
  delete next.cursor;
  for (const [option, keys] of Object.entries(OPTION_KEYS) as Array<[QueryOption, Array<keyof KiciQuery>]>) {
    if (!used.has(option)) {
      keys.forEach((key) => delete next[key]);
    }
  }
  return next;
}

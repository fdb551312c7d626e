// Which feature answers which query type and resource. New features register here.
import type { QueryType } from '../../datasource/query';
import { dlqDepthQuery, dlqEventsQuery, dlqRoutes } from './dlq';
import { dlqSignatureRoutes, dlqSignaturesQuery } from './dlq-signatures';
import { eventDeliveryQuery } from './event-delivery';
import { executionMetricsQuery, executionsQuery } from './executions';
import { healthQuery, healthRoutes } from './health';
import { infrastructureQuery, infrastructureRoutes } from './infrastructure';
import { orphansQuery, orphansRoutes } from './orphans';
import { redriveRoutes } from './redrive';
import { schemaInfoQuery, schemaInfoRoutes } from './schema-info';
import { secretBackendRoutes, secretBackendsQuery } from './secret-backends';
import type { QueryHandler, ResourceRoute } from './types';

export const QUERY_HANDLERS: Partial<Record<QueryType, QueryHandler>> = {
  health: healthQuery,
  schemaInfo: schemaInfoQuery,
  dlqEvents: dlqEventsQuery,
  dlqDepth: dlqDepthQuery,
  dlqSignatures: dlqSignaturesQuery,
  eventDelivery: eventDeliveryQuery,
  executionMetrics: executionMetricsQuery,
  executions: executionsQuery,
  secretBackends: secretBackendsQuery,
  orphanedConnections: orphansQuery,
  infrastructure: infrastructureQuery,
};

export const RESOURCE_ROUTES: ResourceRoute[] = [
  ...healthRoutes,
  ...schemaInfoRoutes,
  ...dlqSignatureRoutes,
  // Before dlqRoutes: `GET dlq/redrive` would otherwise match `dlq/:id`.
  ...redriveRoutes,
  ...dlqRoutes,
  ...secretBackendRoutes,
  ...orphansRoutes,
  ...infrastructureRoutes,
];

// Which feature answers which query type and resource. New features register here.
import type { QueryType } from '../../datasource/query';
import { dlqDepthQuery, dlqEventsQuery, dlqRoutes } from './dlq';
import { eventDeliveryQuery } from './event-delivery';
import { healthQuery, healthRoutes } from './health';
import { schemaInfoQuery, schemaInfoRoutes } from './schema-info';
import type { QueryHandler, ResourceRoute } from './types';

export const QUERY_HANDLERS: Partial<Record<QueryType, QueryHandler>> = {
  health: healthQuery,
  schemaInfo: schemaInfoQuery,
  dlqEvents: dlqEventsQuery,
  dlqDepth: dlqDepthQuery,
  eventDelivery: eventDeliveryQuery,
};

export const RESOURCE_ROUTES: ResourceRoute[] = [...healthRoutes, ...schemaInfoRoutes, ...dlqRoutes];

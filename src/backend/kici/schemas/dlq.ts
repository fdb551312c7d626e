// Event DLQ admin API (contract §6.3; samples admin-event-dlq*.json, dlq/api-event-dlq*.json).
import { z } from 'zod';

import { isoTime } from './common';

export const dlqItemSchema = z.looseObject({
  id: z.string(),
  eventName: z.string(),
  payload: z.unknown(),
  sourceRepo: z.string().nullable(),
  sourceRoutingKey: z.string().nullable(),
  sourceRunId: z.string().nullable(),
  sourceJobId: z.string().nullable(),
  chainDepth: z.number().int().nonnegative(),
  createdAt: isoTime,
  dlqAt: isoTime,
  dlqReason: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});
export type DlqItem = z.infer<typeof dlqItemSchema>;

export const dlqListSchema = z.looseObject({
  events: z.array(dlqItemSchema),
  limit: z.number().int().min(1).max(200),
  /** Set only when a full page came back: the `before` of the next page. */
  nextCursor: isoTime.nullable(),
});
export type DlqList = z.infer<typeof dlqListSchema>;

export const dlqCountSchema = z.looseObject({ total: z.number().int().nonnegative() });
export type DlqCount = z.infer<typeof dlqCountSchema>;

export const dlqRetrySchema = z.looseObject({ retried: z.literal(true), id: z.string() });
export const dlqDiscardSchema = z.looseObject({ discarded: z.literal(true), id: z.string() });

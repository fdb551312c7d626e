// The panel's query JSON, validated. Unknown keys (datasource, key, …) pass through untouched.
import { z } from 'zod';

import type { KiciQuery } from '../../datasource/query';
import { PluginError } from '../protocol/types';
import { SIGNATURE_ID_MESSAGE, SIGNATURE_ID_RE } from './dlq-signatures/normalize';
import { firstIssue } from './json-body';

// Grafana editors send '' for cleared inputs: treat it as absent.
const optional = <T extends z.ZodType>(t: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), t.optional());

export const queryModelSchema = z.looseObject({
  refId: optional(z.string()),
  queryType: optional(z.string()),
  hide: optional(z.boolean()),
  // Matched exactly as stored: a key with leading or trailing spaces is still a key.
  routingKey: optional(z.string().min(1).max(255)),
  excludeTestRuns: optional(z.boolean()),
  useTimeRange: optional(z.boolean()),
  eventName: optional(z.string().max(255)),
  repo: optional(z.string().max(500)),
  errorText: optional(z.string().max(1000)),
  signature: optional(z.string().regex(SIGNATURE_ID_RE, SIGNATURE_ID_MESSAGE)),
  sort: optional(z.enum(['dlqAt', 'createdAt', 'attempts', 'eventName'])),
  sortDirection: optional(z.enum(['asc', 'desc'])),
  limit: optional(z.number().int().min(1).max(1000)),
  cursor: optional(z.string().max(500)),
  series: optional(z.boolean()),
  section: optional(z.enum(['summary', 'leases'])),
  format: optional(z.enum(['table', 'numbers'])),
  firstSeenInRange: optional(z.boolean()),
});

export type KiciQueryModel = Omit<KiciQuery, 'refId' | 'queryType'> & { refId?: string; queryType?: string };

/** Throws a 400 PluginError naming the first offending field. */
export function parseQueryModel(json: unknown): KiciQueryModel {
  const input = json === undefined || json === null ? {} : json;
  const r = queryModelSchema.safeParse(input);
  if (!r.success) {
    const { at, message } = firstIssue(r.error);
    throw new PluginError(`invalid query: ${at || '(query)'}: ${message}`, 400);
  }
  return r.data as KiciQueryModel;
}

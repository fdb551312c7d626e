// A redrive's life: it runs until every event was tried (completed), an operator cancels it (cancelled), the same
// failure would come for every other event (stopped: the admin token is refused, no orchestrator answers), or the
// process running it stops and its lease runs out (interrupted). Pure.
import { z } from 'zod';

import { PluginError } from '../../protocol/types';
import { firstIssue, jsonBody } from '../json-body';
import { SIGNATURE_ID_RE } from '../dlq-signatures/resolve';
import { DEFAULT_RATE, MAX_RATE } from './pace';

import type { RedriveState } from '../../../datasource/redrive';

export { REDRIVE_STATES, type RedriveState } from '../../../datasource/redrive';

export type RedriveEvent =
  | { kind: 'all-tried' }
  | { kind: 'cancel-seen' }
  | { kind: 'stop'; reason: string }
  | { kind: 'lease-expired' }
  | { kind: 'owner-disposed' };

/** The state after `event`, or null when it does not apply (only a running redrive changes; a terminal one stays). */
export function transition(from: RedriveState, event: RedriveEvent): RedriveState | null {
  if (from !== 'running') {
    return null;
  }
  switch (event.kind) {
    case 'all-tried':
      return 'completed';
    case 'cancel-seen':
      return 'cancelled';
    case 'stop':
      return 'stopped';
    case 'lease-expired':
    case 'owner-disposed':
      return 'interrupted';
  }
}

export function isTerminal(s: RedriveState): boolean {
  return s !== 'running';
}

/** How many events a redrive takes at most (the oldest admissions first); the rest need another redrive. */
export const MAX_REDRIVE_EVENTS = 100_000;

const timeValue = z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]);

const startSchema = z.strictObject({
  filter: z
    .strictObject({
      eventName: z.string().max(255).optional(),
      routingKey: z.string().min(1).max(255).optional(),
      repo: z.string().max(500).optional(),
      errorText: z.string().max(1000).optional(),
      from: timeValue.optional(),
      to: timeValue.optional(),
    })
    .default({}),
  /** Redrive the events of this DLQ error signature (among those the filter matches) instead of all matching. */
  signatureId: z
    .string()
    .regex(SIGNATURE_ID_RE, 'must be a signature id: 8 hex digits (the signatureId field of the signatures)')
    .optional(),
  rate: z
    .number({ error: 'must be a number of events per second' })
    .int('must be a whole number of events per second')
    .min(1, 'must be at least 1 event per second')
    .max(MAX_RATE, `must be at most ${MAX_RATE} events per second (the SQS redrive limit)`)
    .default(DEFAULT_RATE),
  /** The count the confirmation showed; the start is refused when the DLQ changed too much since (optional). */
  description: z.string().max(500).optional(),
});

export interface RedriveFilter {
  eventName?: string;
  routingKey?: string;
  repo?: string;
  errorText?: string;
  from?: string;
  to?: string;
}

export interface StartRequest {
  filter: RedriveFilter;
  /** When set, the redrive takes the events of this signature only (resolved at start). */
  signatureId?: string;
  rate: number;
  description: string;
}

/** The `POST dlq/redrive` body, or a 400 naming the field. */
export function parseStartBody(body: Buffer): StartRequest {
  const json = jsonBody(body, {}, 'invalid redrive: the body is not JSON: send {"filter": {...}, "rate": 10}');
  const r = startSchema.safeParse(json);
  if (!r.success) {
    const { at, message } = firstIssue(r.error);
    throw new PluginError(`invalid redrive: ${at ? `${at} ` : ''}${message}`, 400);
  }
  const filter: RedriveFilter = {};
  for (const [k, v] of Object.entries(r.data.filter)) {
    if (v === undefined) {
      continue;
    }
    if (k === 'from' || k === 'to') {
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) {
        throw new PluginError(`invalid redrive: filter.${k} is not a time`, 400);
      }
      filter[k] = d.toISOString();
    } else {
      filter[k as 'eventName'] = v as string;
    }
  }
  return {
    filter,
    ...(r.data.signatureId ? { signatureId: r.data.signatureId } : {}),
    rate: r.data.rate,
    description: r.data.description ?? describe(filter),
  };
}

/** Shown signature text at most (the full one is in the signatures view). */
const SIGNATURE_SHOWN_CHARS = 160;

/** What a signature's redrive is called in the progress panel and the log: `signature “…”`, then its filters. */
export function signatureDescription(signature: string, filter: RedriveFilter): string {
  const text = signature.length > SIGNATURE_SHOWN_CHARS ? `${signature.slice(0, SIGNATURE_SHOWN_CHARS)}…` : signature;
  const rest = Object.keys(filter).length ? ` among ${describe(filter)}` : '';
  return `signature “${text}”${rest}`;
}

function describe(f: RedriveFilter): string {
  const parts = Object.entries(f).map(([k, v]) => `${k} = ${v}`);
  return parts.length ? parts.join(', ') : 'the whole DLQ';
}

export interface Counters {
  total: number;
  retried: number;
  failed: number;
}

/** Events not tried yet: still in the DLQ unless someone else moved them. */
export function remaining(c: Counters): number {
  return Math.max(0, c.total - c.retried - c.failed);
}

// LogQL for KiCI's JSON logs (contract §9). KiCI writes one winston JSON object per line; the shipper labels each
// stream with `service` (orchestrator, agent, platform). Agent lines forwarded by a scaler's log forwarder arrive in
// the *orchestrator's* stream with an inner `"service":"agent"`, so the tier is read from the JSON, never from the
// stream label. A bare `| json` would rename the inner field to `service_extracted` (it collides with the stream
// label), so the fields are extracted under explicit names instead.

/** Exact message strings (contract §9); the doc-only strings (`Triggers matched`, `Job started`, …) do not exist. */
export const KICI_MESSAGES = {
  genericWebhookAccepted: 'Generic webhook accepted',
  webhookRelayStreamStarted: 'Webhook relay stream started',
  webhookProcessed: 'Webhook processed',
  crossSourceWebhookProcessed: 'Cross-source webhook processed',
  jobDispatched: 'Job dispatched',
  executionCompleted: 'Execution completed',
  eventMovedToDlq: 'Event moved to DLQ after exhausting retries',
  eventDispatchFailedRetry: 'Event dispatch failed; scheduled for retry',
  releasingExpiredLeases: 'Releasing expired dispatch leases (likely node crash mid-dispatch)',
} as const;

/** The agent's per-job line `Run: <runId> | Trace: <requestId>` as a RE2 pattern. */
export const AGENT_RUN_TRACE_PATTERN = 'Run: .+ \\| Trace: .+';

export const TIERS = ['platform', 'orchestrator', 'agent'] as const;
export type Tier = (typeof TIERS)[number];

/** Every KiCI stream. */
export const KICI_STREAMS = `{service=~"${TIERS.join('|')}"}`;

/** JSON fields under collision-free names; lines that are not JSON are dropped (metric queries fail on them). */
export const KICI_JSON =
  '| json kici_service="service", kici_level="level", kici_message="message", requestId="requestId", runId="runId", ' +
  'jobId="jobId", eventId="eventId", routingKey="routingKey", eventName="eventName" | __error__=""';

/** The id fields a trace can start from; each is a dashboard textbox variable of the same name. */
export const TRACE_IDS = ['requestId', 'runId', 'jobId', 'eventId'] as const;

/**
 * Lines carrying any of the ids entered. An empty textbox must match nothing (a plain `runId="$runId"` with an
 * empty variable would match every line without a runId), hence the `!=""` guard on each alternative.
 */
export function anyTraceIdFilter(ids: readonly string[] = TRACE_IDS): string {
  return '| ' + ids.map((id) => `(${id}!="" and ${id}="$${id}")`).join(' or ');
}

/** Lines of one tier (the JSON `service`), or of the tiers picked in the `$tier` variable. */
export function tierFilter(tier: Tier | '$tier'): string {
  return tier === '$tier' ? '| kici_service=~"$tier"' : `| kici_service="${tier}"`;
}

/** RE2 alternation of the lifecycle messages, in pipeline order (webhook in → … → job executed). */
export const LIFECYCLE_PATTERN = [
  KICI_MESSAGES.genericWebhookAccepted,
  KICI_MESSAGES.webhookRelayStreamStarted,
  KICI_MESSAGES.webhookProcessed,
  KICI_MESSAGES.crossSourceWebhookProcessed,
  KICI_MESSAGES.jobDispatched,
  AGENT_RUN_TRACE_PATTERN,
  `${KICI_MESSAGES.executionCompleted}.*`,
].join('|');

/** A log query over every KiCI stream: optional line filter first (cheap), then the JSON stage, then filters. */
export function kiciLogs(...filters: string[]): string {
  const [lineFilters, labelFilters] = [
    filters.filter((f) => f.startsWith('|=') || f.startsWith('|~')),
    filters.filter((f) => !(f.startsWith('|=') || f.startsWith('|~'))),
  ];
  return [KICI_STREAMS, ...lineFilters, KICI_JSON, ...labelFilters].join(' ');
}

/** Backtick-quoted LogQL string (no escaping inside), for regular expressions. */
export function raw(text: string): string {
  if (text.includes('`')) {
    throw new Error(`backtick in raw LogQL string: ${text}`);
  }
  return '`' + text + '`';
}

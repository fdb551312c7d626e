// Building blocks shared by the scenario presets: deterministic ids and tokens, node/agent specs, and the
// seed of the rows every scenario has (cluster identity, Raft, coordinators, roster, tokens, backends, sources).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { AdminTokenSpec, AgentSpec, OrchestratorNodeSpec, ScalerSpec, ScenarioSpec, SchemaLayout } from '../model';
import { genericDeliveryId } from '../logs';

/** The stored/logged deliveryId: `<routing_key>:<uuid>` for a generic webhook, a bare UUID for GitHub (logs.ts). */
function deliveryIdOf(r: { runId: string; routingKey: string }): string {
  const id = detUuid('delivery', r.runId);
  return r.routingKey.startsWith('generic:') ? genericDeliveryId(r.routingKey, id) : id;
}

export interface ScenarioOptions {
  layout?: SchemaLayout;
  /** Changes every derived id, token and random choice; same seed ⇒ same rows. */
  seed?: number;
}

export interface Scenario {
  spec: ScenarioSpec;
  /** Inserts the scenario's rows into a database that already has the schema (applySchema). */
  seed(client: pg.ClientBase | pg.Pool, now?: Date): Promise<void>;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** Deterministic UUID (v4 layout) from any parts. */
export function detUuid(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function detHex(len: number, ...parts: Array<string | number>): string {
  let out = '';
  for (let i = 0; out.length < len; i++) {
    out += createHash('sha256')
      .update([...parts, i].join('\u0000'))
      .digest('hex');
  }
  return out.slice(0, len);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** mulberry32: small, fast, deterministic. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

export function versionFor(layout: SchemaLayout): string {
  return layout === '0.9' ? '0.9.1' : '0.1.24';
}

/** The routing key the scoped admin token is restricted to, in every scenario. */
export const SCOPED_ROUTING_KEY = 'github:42';

/** Labels of the tokens every scenario carries; `sim.tokens` picks them by these labels. */
export const TOKEN_LABELS = {
  owner: 'owner',
  admin: 'admin',
  auditor: 'auditor',
  scoped: 'scoped-admin',
  revoked: 'revoked-admin',
  expired: 'expired-auditor',
} as const;

export type TokenKey = keyof typeof TOKEN_LABELS;

/** owner, admin, auditor, a routing-key-scoped admin, plus a revoked and an expired token (both must fail). */
export function standardTokens(scenario: string, seed: number): AdminTokenSpec[] {
  const tok = (key: TokenKey) => detHex(64, 'admin-token', scenario, seed, key);
  return [
    { label: TOKEN_LABELS.owner, plaintext: tok('owner'), role: 'owner', routingKey: null },
    { label: TOKEN_LABELS.admin, plaintext: tok('admin'), role: 'admin', routingKey: null },
    { label: TOKEN_LABELS.auditor, plaintext: tok('auditor'), role: 'auditor', routingKey: null },
    { label: TOKEN_LABELS.scoped, plaintext: tok('scoped'), role: 'admin', routingKey: SCOPED_ROUTING_KEY },
    { label: TOKEN_LABELS.revoked, plaintext: tok('revoked'), role: 'admin', routingKey: null, revoked: true },
    {
      label: TOKEN_LABELS.expired,
      plaintext: tok('expired'),
      role: 'auditor',
      routingKey: null,
      expiresAt: '2026-01-01T00:00:00.000Z',
    },
  ];
}

/** Plaintexts by role, the shape `sim.tokens` exposes. */
export function tokensByRole(spec: ScenarioSpec): Record<TokenKey, string> {
  const by = (label: string) => {
    const t = spec.tokens.find((x) => x.label === label);
    if (!t) {
      throw new Error(`scenario ${spec.name} has no token labelled ${label}`);
    }
    return t.plaintext;
  };
  return {
    owner: by(TOKEN_LABELS.owner),
    admin: by(TOKEN_LABELS.admin),
    auditor: by(TOKEN_LABELS.auditor),
    scoped: by(TOKEN_LABELS.scoped),
    revoked: by(TOKEN_LABELS.revoked),
    expired: by(TOKEN_LABELS.expired),
  };
}

export function orchestratorNode(
  layout: SchemaLayout,
  n: Partial<OrchestratorNodeSpec> & Pick<OrchestratorNodeSpec, 'instanceId' | 'hostname'>
): OrchestratorNodeSpec {
  return {
    clusterRole: 'coordinator',
    raftRole: 'leader',
    version: versionFor(layout),
    mode: 'platform',
    deployment: { mode: 'systemd', containerName: null, containerRuntime: null },
    s3LogAccess: false,
    scalers: [],
    runningAsUser: 'kici',
    runningAsUid: 990,
    osRelease: '6.8.0-49-generic',
    osVersion: '#49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024',
    cpuCount: 8,
    totalMemoryMb: 32_000,
    memoryUsedMb: 9_400,
    uptimeSeconds: 1_209_600,
    nodeVersion: '22.11.0',
    platformConnectionId: null,
    fault: { mode: 'none' },
    ...n,
  };
}

export function scaler(
  name: string,
  type: ScalerSpec['type'],
  maxAgents: number,
  userLabels: string[][],
  remoteHost?: string
): ScalerSpec {
  return {
    name,
    type,
    maxAgents,
    remoteHost,
    labelSets: userLabels.map((ls) => [...ls, `kici:agent:${type}`, `kici:scaler:${name}`]),
  };
}

/** User labels plus the auto `kici:` labels the agent adds at register (contract §3.5). */
export function agentLabels(
  user: string[],
  platform: AgentSpec['platform'],
  arch: AgentSpec['arch'],
  hostname: string
): string[] {
  const os =
    platform === 'linux'
      ? ['kici:os:linux']
      : platform === 'darwin'
        ? ['kici:os:macos', 'kici:os:darwin']
        : ['kici:os:windows', 'kici:os:win32'];
  const ar = arch === 'x64' ? ['kici:arch:x64', 'kici:arch:amd64'] : ['kici:arch:arm64'];
  return [...user, ...os, ...ar, `kici:host:${hostname}`];
}

export function agent(
  a: Partial<AgentSpec> & Pick<AgentSpec, 'agentId' | 'hostname'>,
  userLabels: string[] = ['linux']
): AgentSpec {
  const platform = a.platform ?? 'linux';
  const arch = a.arch ?? 'x64';
  return {
    platform,
    arch,
    labels: agentLabels(userLabels, platform, arch, a.hostname),
    scalerName: null,
    connectedInstanceId: null,
    lifecycleClass: 'static',
    version: '0.9.1',
    lastSeenAgoMs: 20 * SECOND,
    memoryUsedMb: null,
    memoryAvailableMb: null,
    uptimeSeconds: null,
    activeJobs: 0,
    maxConcurrency: 1,
    serveHttp: false,
    fault: { mode: 'none' },
    ...a,
  };
}

export interface BackendRow {
  name: string;
  backendType: 'pg' | 'vault';
  healthStatus: 'healthy' | 'degraded' | 'unreachable' | 'unknown';
  scopeCount: number;
  lastSyncAgoMs: number | null;
  lastSyncError: string | null;
  lastHealthCheckAgoMs: number | null;
  enabled?: boolean;
  syncIntervalMs?: number;
  scopeFilter?: string;
}

export interface BaseSeed {
  spec: ScenarioSpec;
  seed: number;
  raftTerm: number;
  /** Seconds since each coordinator's last `cluster_instances` heartbeat (0.9 only); default 4 s. */
  heartbeatAgoMs?: Record<string, number>;
  backends: BackendRow[];
  /** Cluster creation time = created_at of the built-in rows. */
  createdAgoMs?: number;
}

type Db = pg.ClientBase | pg.Pool;

/** Rows shared by every scenario. Set-based (unnest) so 5,000 agents cost one statement. */
export async function seedBase(db: Db, base: BaseSeed, now: Date): Promise<void> {
  const { spec, seed } = base;
  const layout = spec.layout;
  const created = ago(now, base.createdAgoMs ?? 30 * 24 * HOUR);
  const leader = spec.nodes.find((n) => n.raftRole === 'leader');

  await db.query(
    `INSERT INTO cluster_meta (key, value, created_at) VALUES ('cluster_id', $1, $3), ('cluster_name', $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, created_at = EXCLUDED.created_at`,
    [detUuid('cluster', spec.name, seed), spec.clusterName, created]
  );
  await db.query(
    `INSERT INTO raft_state (cluster_id, current_term, voted_for, leader_id, updated_at) VALUES ('default', $1, $2, $2, $3)`,
    [base.raftTerm, leader?.instanceId ?? null, created]
  );

  if (layout === '0.9') {
    const coordinators = spec.nodes.filter((n) => n.clusterRole === 'coordinator');
    await db.query(
      `INSERT INTO cluster_instances (instance_id, role, version, started_at, last_heartbeat_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])`,
      [
        coordinators.map((n) => n.instanceId),
        coordinators.map((n) => n.raftRole),
        coordinators.map((n) => n.version),
        coordinators.map((n) => ago(now, n.uptimeSeconds > 0 ? Math.min(n.uptimeSeconds * 1000, 7 * 24 * HOUR) : HOUR)),
        coordinators.map((n) => ago(now, base.heartbeatAgoMs?.[n.instanceId] ?? 4 * SECOND)),
      ]
    );
  }

  const agents = spec.agents;
  const rosterCols = [
    'id',
    'agent_id',
    'lifecycle_class',
    'labels',
    'hostname',
    'platform',
    'arch',
    'connected_instance_id',
    'last_seen',
    'created_at',
    'updated_at',
  ];
  const rosterTypes = [
    'uuid',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'timestamptz',
    'timestamptz',
    'timestamptz',
  ];
  const rosterValues: unknown[][] = [
    agents.map((a) => detUuid('host_roster', spec.name, seed, a.agentId)),
    agents.map((a) => a.agentId),
    agents.map((a) => a.lifecycleClass),
    agents.map((a) => JSON.stringify(a.labels)),
    agents.map((a) => a.hostname),
    agents.map((a) => a.platform),
    agents.map((a) => a.arch),
    agents.map((a) => a.connectedInstanceId),
    agents.map((a) => ago(now, a.lastSeenAgoMs)),
    agents.map((a) => ago(now, a.lastSeenAgoMs + (a.lifecycleClass === 'static' ? 10 * 24 * HOUR : 20 * MINUTE))),
    agents.map((a) => ago(now, a.lastSeenAgoMs)),
  ];
  if (layout === '0.9') {
    rosterCols.push('scaler_managed');
    rosterTypes.push('boolean');
    rosterValues.push(agents.map((a) => a.scalerName !== null));
  }
  await db.query(
    `INSERT INTO host_roster (${rosterCols.join(', ')})
     SELECT * FROM unnest(${rosterTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
    rosterValues
  );

  // One reservation per connected scaler agent (job-bound spawns; contract §3.4).
  const reserved = agents.filter((a) => a.scalerName !== null && a.connectedInstanceId !== null);
  const resCols = ['agent_id', 'scaler_name', 'cpu_units', 'mem_bytes', 'reserved_at'];
  const resValues: unknown[][] = [
    reserved.map((a) => a.agentId),
    reserved.map((a) => a.scalerName),
    reserved.map(() => 2),
    reserved.map(() => String(4 * 1024 * 1024 * 1024)),
    reserved.map((a) => ago(now, a.lastSeenAgoMs + 2 * MINUTE)),
  ];
  const resTypes = ['text', 'text', 'float8', 'int8', 'timestamptz'];
  if (layout === '0.9') {
    resCols.push('owner_instance_id');
    resTypes.push('text');
    resValues.push(reserved.map((a) => a.connectedInstanceId));
  }
  await db.query(
    `INSERT INTO scaler_reservations (${resCols.join(', ')}) SELECT * FROM unnest(${resTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
    resValues
  );

  for (const t of spec.tokens) {
    await db.query(
      `INSERT INTO admin_tokens (id, token_hash, label, role, routing_key, created_at, expires_at, revoked)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        detUuid('admin_token', spec.name, seed, t.label),
        sha256Hex(t.plaintext),
        t.label,
        t.role,
        t.routingKey,
        created,
        t.expiresAt ?? null,
        t.revoked ?? false,
      ]
    );
  }

  // Migration 001 seeded the built-in `pg` backend with a random id: give it a fixed one.
  await db.query(`DELETE FROM secret_backends`);
  for (const b of base.backends) {
    await db.query(
      `INSERT INTO secret_backends (id, name, backend_type, config_encrypted, scope_filter, sync_interval_ms, enabled,
                                    last_sync_at, last_sync_error, last_health_check_at, health_status, scope_count, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        detUuid('secret_backend', spec.name, seed, b.name),
        b.name,
        b.backendType,
        // Real rows hold AES-256-GCM ciphertext; the built-in pg backend holds ''.
        b.backendType === 'pg' ? '' : `v1:${detHex(24, 'iv', b.name)}:${detHex(96, 'ct', b.name)}`,
        b.scopeFilter ?? '**',
        b.syncIntervalMs ?? 300_000,
        b.enabled ?? true,
        b.lastSyncAgoMs === null ? null : ago(now, b.lastSyncAgoMs),
        b.lastSyncError,
        b.lastHealthCheckAgoMs === null ? null : ago(now, b.lastHealthCheckAgoMs),
        b.healthStatus,
        b.scopeCount,
        created,
        b.lastSyncAgoMs === null ? created : ago(now, b.lastSyncAgoMs),
      ]
    );
  }

  await db.query(
    `INSERT INTO sources (id, provider, name, routing_key, config, created_at, updated_at, slug)
     VALUES ($1, 'github', 'acme-ci', 'github:42', '{"appId":42}', $3, $3, 'acme-ci'),
            ($2, 'github', 'acme-labs', 'github:77', '{"appId":77}', $3, $3, 'acme-labs')`,
    [detUuid('source', spec.name, seed, 42), detUuid('source', spec.name, seed, 77), created]
  );
  await db.query(
    `INSERT INTO generic_webhook_sources (id, customer_id, name, routing_key, provider_type, created_at, updated_at)
     VALUES ($1, 'acme', 'deploy-hooks', 'generic:acme:deploy-hooks', 'generic', $2, $2)`,
    [detUuid('generic_source', spec.name, seed), created]
  );
}

export interface RunRow {
  runId: string;
  workflowName: string;
  status: 'pending' | 'running' | 'success' | 'failed' | 'cancelled' | 'cancelling' | 'held';
  routingKey: string;
  repo: string;
  createdAgoMs: number;
  /** null while not finished. */
  durationMs: number | null;
  isTestRun?: boolean;
  context?: string | null;
  failureReason?: string | null;
  jobs: Array<{
    jobId: string;
    jobName: string;
    status: string;
    agentId: string | null;
    durationMs: number | null;
    /** Queue the job: a dispatch_queue row with this status. */
    queue?: 'pending' | 'dispatched' | 'completed' | 'failed';
  }>;
}

/** execution_runs + execution_jobs (+ dispatch_queue rows) for hand-written known-answer sets. */
export async function insertRuns(db: Db, layout: SchemaLayout, runs: RunRow[], now: Date): Promise<void> {
  const contextCol = layout === '0.9' ? 'context' : 'environment';
  for (const r of runs) {
    const created = ago(now, r.createdAgoMs);
    const completed = r.durationMs === null ? null : new Date(created.getTime() + r.durationMs);
    const sha = detHex(40, 'sha', r.runId);
    await db.query(
      `INSERT INTO execution_runs (id, run_id, workflow_name, status, provider, repo_identifier, ref, sha, delivery_id,
                                   started_at, completed_at, duration_ms, routing_key, is_test_run, ${contextCol},
                                   created_at, failure_reason, log_bytes)
       VALUES ($1, $2, $3, $4, $5, $6, 'refs/heads/main', $7, $8, $9, $10, $11, $12, $13, $14, $9, $15, $16)`,
      [
        detUuid('run-row', r.runId),
        r.runId,
        r.workflowName,
        r.status,
        r.routingKey.startsWith('generic:') ? 'generic' : 'github',
        r.repo,
        sha,
        deliveryIdOf(r),
        created,
        completed,
        r.durationMs,
        r.routingKey,
        r.isTestRun ?? false,
        r.context ?? null,
        r.failureReason ?? null,
        String(r.durationMs === null ? 0 : r.durationMs * 37),
      ]
    );
    for (const [i, j] of r.jobs.entries()) {
      const jobStarted =
        j.status === 'pending' || j.status === 'queued' ? null : new Date(created.getTime() + (i + 1) * SECOND);
      const jobDone =
        j.durationMs === null || jobStarted === null ? null : new Date(jobStarted.getTime() + j.durationMs);
      await db.query(
        `INSERT INTO execution_jobs (id, run_id, job_id, job_name, status, agent_id, started_at, completed_at, duration_ms,
                                     last_heartbeat_at, created_at, routing_key, runs_on_labels)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '["linux"]')`,
        [
          detUuid('job-row', r.runId, j.jobId),
          r.runId,
          j.jobId,
          j.jobName,
          j.status,
          j.agentId,
          jobStarted,
          jobDone,
          j.durationMs,
          j.status === 'running' ? ago(now, 15 * SECOND) : jobDone,
          created,
          r.routingKey,
        ]
      );
      if (j.queue) {
        await db.query(
          `INSERT INTO dispatch_queue (id, run_id, workflow_name, job_name, runs_on_labels, job_config, repo_url, ref, sha,
                                       status, created_at, expires_at, delivery_id, provider, routing_key, request_id)
           VALUES ($1, $2, $3, $4, '["linux"]', '{}', $5, 'refs/heads/main', $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            detUuid('dispatch', r.runId, j.jobId),
            r.runId,
            r.workflowName,
            j.jobName,
            `https://github.com/${r.repo}.git`,
            sha,
            j.queue,
            created,
            new Date(created.getTime() + HOUR),
            deliveryIdOf(r),
            r.routingKey.startsWith('generic:') ? 'generic' : 'github',
            r.routingKey,
            detUuid('request', r.runId),
          ]
        );
      }
    }
  }
}

export interface EventRow {
  id: string;
  eventName: string;
  payload: unknown;
  sourceRepo: string | null;
  sourceRoutingKey: string | null;
  sourceRunId?: string | null;
  sourceJobId?: string | null;
  chainDepth?: number;
  createdAgoMs: number;
  processed: boolean;
  attempts: number;
  lastError?: string | null;
  nextRetryInMs?: number | null;
  claimedAgoMs?: number | null;
  claimedBy?: string | null;
  dlqAgoMs?: number | null;
}

/** Event TTL (`eventTtlSeconds` 604 800): expires_at = created_at + 7 days. */
export const EVENT_TTL_MS = 604_800 * SECOND;

export async function insertEvents(db: Db, events: EventRow[], now: Date): Promise<void> {
  if (events.length === 0) {
    return;
  }
  const col = <T>(f: (e: EventRow) => T) => events.map(f);
  const at = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : ago(now, ms));
  await db.query(
    `INSERT INTO kici_events (id, event_name, payload, source_repo, source_routing_key, source_run_id, source_job_id, chain_depth,
                              processed, created_at, expires_at, claimed_at, claimed_by, attempts, last_error, next_retry_at,
                              dlq_at, dlq_reason)
     SELECT id, event_name, payload, source_repo, source_routing_key, source_run_id, source_job_id, chain_depth, processed,
            created_at, created_at + interval '604800 seconds', claimed_at, claimed_by, attempts, last_error, next_retry_at,
            dlq_at, CASE WHEN dlq_at IS NULL THEN NULL ELSE 'exhausted_retries' END
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::bool[],
                   $10::timestamptz[], $11::timestamptz[], $12::text[], $13::int[], $14::text[], $15::timestamptz[], $16::timestamptz[])
         AS t(id, event_name, payload, source_repo, source_routing_key, source_run_id, source_job_id, chain_depth, processed,
              created_at, claimed_at, claimed_by, attempts, last_error, next_retry_at, dlq_at)`,
    [
      col((e) => e.id),
      col((e) => e.eventName),
      col((e) => JSON.stringify(e.payload)),
      col((e) => e.sourceRepo),
      col((e) => e.sourceRoutingKey),
      col((e) => e.sourceRunId ?? null),
      col((e) => e.sourceJobId ?? null),
      col((e) => e.chainDepth ?? 0),
      col((e) => e.processed),
      col((e) => ago(now, e.createdAgoMs)),
      col((e) => at(e.claimedAgoMs)),
      col((e) => e.claimedBy ?? null),
      col((e) => e.attempts),
      col((e) => e.lastError ?? null),
      col((e) =>
        e.nextRetryInMs === null || e.nextRetryInMs === undefined ? null : new Date(now.getTime() + e.nextRetryInMs)
      ),
      col((e) => at(e.dlqAgoMs)),
    ]
  );
}

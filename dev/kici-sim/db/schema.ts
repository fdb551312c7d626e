// The subset of the orchestrator schema the plugin reads, with KiCI's real names, types, defaults, CHECKs,
// keys and partial indexes (taken from a pg_dump of 0.9.1; 0.1.x differences per contract §12).
import type pg from 'pg';
import type { SchemaLayout } from '../model';
import { MIGRATIONS_0_1, MIGRATIONS_0_9 } from './migrations';

export type { SchemaLayout } from '../model';

interface Column {
  name: string;
  type: string;
  /** Added by a migration after 060: absent from the 0.1 layout. */
  only09?: boolean;
  /** The column's 0.1 name, where 0.9 renamed it (migration 067 environments → contexts). */
  name01?: string;
}

interface Table {
  name: string;
  only09?: boolean;
  columns: Column[];
  /** Constraints and CHECKs, already in SQL. */
  constraints: string[];
  /** Index statements; `only09` ones are skipped for 0.1. */
  indexes: Array<{ sql: string; only09?: boolean }>;
}

const c = (name: string, type: string, extra: Partial<Column> = {}): Column => ({ name, type, ...extra });
const v9 = { only09: true };

export const TABLES: Table[] = [
  {
    name: 'kysely_migration',
    columns: [c('name', 'character varying(255) NOT NULL'), c('timestamp', 'character varying(255) NOT NULL')],
    constraints: ['CONSTRAINT kysely_migration_pkey PRIMARY KEY (name)'],
    indexes: [],
  },
  {
    name: 'kysely_migration_lock',
    columns: [c('id', 'character varying(255) NOT NULL'), c('is_locked', 'integer DEFAULT 0 NOT NULL')],
    constraints: ['CONSTRAINT kysely_migration_lock_pkey PRIMARY KEY (id)'],
    indexes: [],
  },
  {
    name: 'kici_events',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('event_name', 'character varying(255) NOT NULL'),
      c('payload', 'jsonb NOT NULL'),
      c('source_repo', 'character varying(500)'),
      c('source_routing_key', 'character varying(255)'),
      c('source_run_id', 'character varying(255)'),
      c('source_job_id', 'character varying(255)'),
      c('chain_depth', 'integer DEFAULT 0 NOT NULL'),
      c('processed', 'boolean DEFAULT false NOT NULL'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('expires_at', 'timestamp with time zone NOT NULL'),
      c('target_repos', 'jsonb'),
      c('claimed_at', 'timestamp with time zone'),
      c('claimed_by', 'text'),
      c('attempts', 'integer DEFAULT 0 NOT NULL'),
      c('last_error', 'text'),
      c('next_retry_at', 'timestamp with time zone'),
      c('dlq_at', 'timestamp with time zone'),
      c('dlq_reason', 'text'),
    ],
    constraints: ['CONSTRAINT kici_events_pkey PRIMARY KEY (id)'],
    indexes: [
      {
        sql: 'CREATE INDEX idx_kici_events_dlq ON public.kici_events USING btree (dlq_at DESC) WHERE (dlq_at IS NOT NULL)',
      },
      { sql: 'CREATE INDEX idx_kici_events_expiry ON public.kici_events USING btree (expires_at)' },
      {
        sql: 'CREATE INDEX idx_kici_events_lease_expired ON public.kici_events USING btree (claimed_at) WHERE ((processed = false) AND (dlq_at IS NULL) AND (claimed_at IS NOT NULL))',
      },
      {
        sql: 'CREATE INDEX idx_kici_events_retry_due ON public.kici_events USING btree (next_retry_at) WHERE ((processed = false) AND (dlq_at IS NULL) AND (next_retry_at IS NOT NULL))',
      },
      {
        sql: 'CREATE INDEX idx_kici_events_routing ON public.kici_events USING btree (event_name, processed, created_at)',
      },
      { sql: 'CREATE INDEX idx_kici_events_source ON public.kici_events USING btree (source_routing_key, event_name)' },
    ],
  },
  {
    name: 'execution_runs',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('run_id', 'uuid NOT NULL'),
      c('workflow_name', 'text NOT NULL'),
      c('status', "text DEFAULT 'pending'::text NOT NULL"),
      c('provider', 'text NOT NULL'),
      c('repo_identifier', 'text NOT NULL'),
      c('ref', 'text NOT NULL'),
      c('sha', 'text NOT NULL'),
      c('delivery_id', 'text'),
      c('trigger_decision', 'jsonb'),
      c('started_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('completed_at', 'timestamp with time zone'),
      c('duration_ms', 'integer'),
      c('provider_context', "jsonb DEFAULT '{}'::jsonb NOT NULL"),
      c('routing_key', 'text'),
      c('is_test_run', 'boolean DEFAULT false NOT NULL'),
      c('fixture_id', 'text'),
      c('parent_run_id', 'uuid'),
      c('triggered_by', 'text'),
      c('cancelled_by', 'text'),
      c('original_run_id', 'text'),
      c('context', 'text', { name01: 'environment' }),
      c('trust_tier', 'text'),
      c('lock_file_source', 'text'),
      c('contributor_username', 'text'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('failure_reason', 'text'),
      c('archived_at', 'timestamp with time zone'),
      c('archive_object_key', 'text'),
      c('log_bytes', 'bigint DEFAULT 0 NOT NULL'),
      c('init_failure', 'jsonb'),
      c('workflow_timeout_ms', 'integer'),
      c('check_mode', 'text'),
      c('local_working_tree', 'boolean DEFAULT false NOT NULL'),
      c('trigger_actor_provider', 'text'),
      c('trigger_actor_username', 'text'),
      c('trigger_actor_user_id', 'text'),
      c('context_id', 'uuid', v9),
      c('triggered_by_agent_label', 'text', v9),
      c('cancelled_by_agent_label', 'text', v9),
      c('failure_class', 'text', v9),
      c('pr_number', 'integer', v9),
      c('customer_id', "text DEFAULT '__default__'::text NOT NULL", v9),
      c('workflow_repo_identifier', 'text', v9),
      c('summoned_by_run_id', 'text', v9),
      c('summoned_by_proxy_job', 'text', v9),
      c('chain_depth', 'integer DEFAULT 0 NOT NULL', v9),
      c('is_global_eval_round', 'boolean DEFAULT false NOT NULL', v9),
      c('dispatch_routing_key', 'text', v9),
      c('trigger_event', 'text', v9),
      c('cancelling_at', 'timestamp with time zone', v9),
      c('head_ref', 'text', v9),
      c('head_repository', 'text', v9),
      c('is_fork', 'boolean', v9),
      c('subject_trigger_event', 'text', v9),
      c('registration_window_instance_id', 'text', v9),
    ],
    constraints: [
      'CONSTRAINT execution_runs_pkey PRIMARY KEY (id)',
      'CONSTRAINT execution_runs_run_id_key UNIQUE (run_id)',
      'CONSTRAINT execution_runs_parent_run_id_fkey FOREIGN KEY (parent_run_id) REFERENCES public.execution_runs(run_id)',
    ],
    indexes: [
      {
        sql: 'CREATE INDEX execution_runs_status_created_at_idx ON public.execution_runs USING btree (status, created_at)',
      },
      {
        sql: 'CREATE INDEX idx_execution_runs_routing_key_created ON public.execution_runs USING btree (routing_key, created_at)',
      },
      { sql: 'CREATE INDEX idx_execution_runs_status ON public.execution_runs USING btree (status)' },
      { sql: 'CREATE INDEX idx_execution_runs_repo ON public.execution_runs USING btree (repo_identifier)' },
      {
        sql: "CREATE INDEX idx_execution_runs_cancelling_at ON public.execution_runs USING btree (cancelling_at) WHERE (status = 'cancelling'::text)",
        only09: true,
      },
    ],
  },
  {
    name: 'execution_jobs',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('run_id', 'uuid NOT NULL'),
      c('job_id', 'text NOT NULL'),
      c('job_name', 'text NOT NULL'),
      c('status', "text DEFAULT 'pending'::text NOT NULL"),
      c('matrix_values', 'jsonb'),
      c('agent_id', 'text'),
      c('started_at', 'timestamp with time zone'),
      c('completed_at', 'timestamp with time zone'),
      c('duration_ms', 'integer'),
      c('error_message', 'text'),
      c('last_heartbeat_at', 'timestamp with time zone'),
      c('dispatched_contexts', "jsonb DEFAULT '[]'::jsonb", { name01: 'dispatched_environments' }),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('runs_on_labels', 'jsonb'),
      c('outputs', 'jsonb'),
      c('needs_satisfied', 'boolean DEFAULT false NOT NULL'),
      c('ready_at', 'timestamp with time zone'),
      c('group_name', 'text'),
      c('archived_at', 'timestamp with time zone'),
      c('archive_object_key', 'text'),
      c('routing_key', 'text'),
      c('log_bytes', 'bigint DEFAULT 0 NOT NULL'),
      c('init_failure', 'jsonb'),
      c('base_job_name', 'text'),
      c('variant_kind', 'text'),
      c('variant_label', 'text'),
      c('wave_gated', 'boolean DEFAULT false NOT NULL'),
      c('wave_max_parallel', 'integer'),
      c('wave_fail_fast', 'boolean'),
      c('rerouted_to_peer', 'text'),
      c('contexts', 'text', { name01: 'environments' }),
      c('skipped_contexts', 'text', v9),
      c('env_warning', 'text', v9),
      c('routing_reason', 'text', v9),
      c('job_kind', "text DEFAULT 'standard'::text NOT NULL", v9),
      c('summoned_run_id', 'text', v9),
      c('timeout_ms', 'integer', v9),
      c('git_credentials', 'jsonb', v9),
      c('precursor_result', 'jsonb', v9),
    ],
    constraints: [
      'CONSTRAINT execution_jobs_pkey PRIMARY KEY (id)',
      'CONSTRAINT execution_jobs_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.execution_runs(run_id)',
    ],
    indexes: [
      { sql: 'CREATE UNIQUE INDEX idx_execution_jobs_unique ON public.execution_jobs USING btree (run_id, job_id)' },
      { sql: 'CREATE INDEX idx_execution_jobs_run_id ON public.execution_jobs USING btree (run_id)' },
      { sql: 'CREATE INDEX idx_execution_jobs_status ON public.execution_jobs USING btree (status)' },
      {
        sql: "CREATE INDEX idx_execution_jobs_heartbeat ON public.execution_jobs USING btree (status, last_heartbeat_at) WHERE (status = 'running'::text)",
      },
      {
        sql: 'CREATE INDEX idx_execution_jobs_routing_key_created ON public.execution_jobs USING btree (routing_key, created_at)',
      },
    ],
  },
  {
    name: 'dispatch_queue',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('run_id', 'text NOT NULL'),
      c('workflow_name', 'text NOT NULL'),
      c('job_name', 'text NOT NULL'),
      c('runs_on_labels', 'jsonb NOT NULL'),
      c('job_config', 'text NOT NULL'),
      c('repo_url', 'text NOT NULL'),
      c('ref', 'text NOT NULL'),
      c('sha', 'text NOT NULL'),
      c('status', "text DEFAULT 'pending'::text NOT NULL"),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('expires_at', 'timestamp with time zone'),
      c('delivery_id', 'text NOT NULL'),
      c('provider', "text DEFAULT 'github'::text NOT NULL"),
      c('provider_context', "text DEFAULT '{}'::text NOT NULL"),
      c('source_tar_url', 'text'),
      c('deps_url', 'text'),
      c('deps_hash', 'text'),
      c('request_id', 'text'),
      c('exclude_labels', "jsonb DEFAULT '[]'::jsonb"),
      c('routing_key', 'text NOT NULL'),
      c('recovery_deadline', 'timestamp with time zone'),
      c('recovery_agent_id', 'text'),
      c('last_provisioning_error', 'text'),
      c('dispatch_attempts', 'integer DEFAULT 0 NOT NULL'),
      c('ack_deadline', 'timestamp with time zone'),
      c('ack_agent_id', 'text'),
      c('pinned_agent_id', 'text'),
      c('runs_on_patterns', "jsonb DEFAULT '[]'::jsonb NOT NULL"),
      c('exclude_patterns', "jsonb DEFAULT '[]'::jsonb NOT NULL"),
      c('agent_id', 'text', v9),
      c('unroutable_since', 'timestamp with time zone', v9),
      c('source_tar_digest', 'text', v9),
      c('owner_instance_id', 'text', v9),
      c('dispatched_at', 'timestamp with time zone', v9),
    ],
    constraints: ['CONSTRAINT dispatch_queue_pkey PRIMARY KEY (id)'],
    indexes: [
      {
        sql: 'CREATE INDEX dispatch_queue_status_created_at_idx ON public.dispatch_queue USING btree (status, created_at)',
      },
      { sql: 'CREATE INDEX idx_dispatch_queue_labels_gin ON public.dispatch_queue USING gin (runs_on_labels)' },
      { sql: 'CREATE INDEX idx_dispatch_queue_run_id ON public.dispatch_queue USING btree (run_id)', only09: true },
      {
        sql: "CREATE INDEX idx_dispatch_queue_owner_dispatched ON public.dispatch_queue USING btree (owner_instance_id) WHERE (status = 'dispatched'::text)",
        only09: true,
      },
    ],
  },
  {
    name: 'host_roster',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('agent_id', 'text NOT NULL'),
      c('token_id', 'uuid'),
      c('lifecycle_class', 'text NOT NULL'),
      c('labels', "text DEFAULT '[]'::text NOT NULL"),
      c('hostname', 'text'),
      c('platform', 'text'),
      c('arch', 'text'),
      c('connected_instance_id', 'text'),
      c('last_seen', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('updated_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('host_properties', "jsonb DEFAULT '{}'::jsonb NOT NULL"),
      c('reboot_pending_until', 'timestamp with time zone'),
      c('address', 'text'),
      c('ssh_user', 'text'),
      c('ssh_port', 'integer'),
      c('ssh_key_secret', 'text'),
      c('s3_reachable', 'boolean', v9),
      c('scaler_managed', 'boolean DEFAULT false NOT NULL', v9),
    ],
    constraints: [
      'CONSTRAINT host_roster_pkey PRIMARY KEY (id)',
      'CONSTRAINT host_roster_agent_id_key UNIQUE (agent_id)',
      "CONSTRAINT host_roster_lifecycle_class_check CHECK ((lifecycle_class = ANY (ARRAY['static'::text, 'ephemeral'::text])))",
    ],
    indexes: [
      { sql: 'CREATE INDEX idx_host_roster_reap ON public.host_roster USING btree (lifecycle_class, last_seen)' },
    ],
  },
  {
    name: 'cluster_instances',
    only09: true,
    columns: [
      c('instance_id', 'text NOT NULL'),
      c('role', 'text'),
      c('version', 'text'),
      c('started_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('last_heartbeat_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
    ],
    constraints: ['CONSTRAINT cluster_instances_pkey PRIMARY KEY (instance_id)'],
    indexes: [
      {
        sql: 'CREATE INDEX idx_cluster_instances_last_heartbeat_at ON public.cluster_instances USING btree (last_heartbeat_at)',
      },
    ],
  },
  {
    name: 'raft_state',
    columns: [
      c('cluster_id', "text DEFAULT 'default'::text NOT NULL"),
      c('current_term', 'integer DEFAULT 0 NOT NULL'),
      c('voted_for', 'text'),
      c('leader_id', 'text'),
      c('updated_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
    ],
    constraints: ['CONSTRAINT raft_state_pkey PRIMARY KEY (cluster_id)'],
    indexes: [],
  },
  {
    name: 'cluster_meta',
    columns: [
      c('key', 'character varying(64) NOT NULL'),
      c('value', 'text NOT NULL'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
    ],
    constraints: ['CONSTRAINT cluster_meta_pkey PRIMARY KEY (key)'],
    indexes: [],
  },
  {
    name: 'secret_backends',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('name', 'text NOT NULL'),
      c('backend_type', 'text NOT NULL'),
      c('config_encrypted', 'text NOT NULL'),
      c('config_key_version', 'integer DEFAULT 1 NOT NULL'),
      c('scope_filter', "text DEFAULT '**'::text NOT NULL"),
      c('sync_interval_ms', 'integer DEFAULT 300000 NOT NULL'),
      c('enabled', 'boolean DEFAULT true NOT NULL'),
      c('last_sync_at', 'timestamp with time zone'),
      c('last_sync_error', 'text'),
      c('last_health_check_at', 'timestamp with time zone'),
      c('health_status', "text DEFAULT 'unknown'::text NOT NULL"),
      c('scope_count', 'integer DEFAULT 0 NOT NULL'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('updated_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
    ],
    constraints: [
      'CONSTRAINT secret_backends_pkey PRIMARY KEY (id)',
      'CONSTRAINT secret_backends_name_key UNIQUE (name)',
      "CONSTRAINT secret_backends_backend_type_check CHECK ((backend_type = ANY (ARRAY['pg'::text, 'vault'::text])))",
    ],
    indexes: [{ sql: 'CREATE INDEX idx_secret_backends_name ON public.secret_backends USING btree (name)' }],
  },
  {
    name: 'sources',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('provider', 'text NOT NULL'),
      c('name', 'text NOT NULL'),
      c('routing_key', 'text NOT NULL'),
      c('config', "jsonb DEFAULT '{}'::jsonb NOT NULL"),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('updated_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('customer_id', "character varying(255) DEFAULT '__default__'::character varying NOT NULL"),
      c('slug', 'text'),
    ],
    constraints: [
      'CONSTRAINT sources_pkey PRIMARY KEY (id)',
      'CONSTRAINT sources_routing_key_key UNIQUE (routing_key)',
    ],
    indexes: [{ sql: 'CREATE INDEX sources_provider_idx ON public.sources USING btree (provider)' }],
  },
  {
    name: 'generic_webhook_sources',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('customer_id', 'character varying(255) NOT NULL'),
      c('name', 'character varying(255) NOT NULL'),
      c('routing_key', 'character varying(500) NOT NULL'),
      c('verification_method', "character varying(50) DEFAULT 'hmac_sha256'::character varying NOT NULL"),
      c('verification_config', "jsonb DEFAULT '{}'::jsonb NOT NULL"),
      c('event_type_header', "character varying(255) DEFAULT 'X-Event-Type'::character varying"),
      c('event_type_path', 'character varying(500)'),
      c('idempotency_key_header', 'character varying(255)'),
      c('idempotency_key_path', 'character varying(500)'),
      c('dedup_window_seconds', 'integer DEFAULT 300 NOT NULL'),
      c('max_payload_bytes', 'integer DEFAULT 1048576 NOT NULL'),
      c('allowed_events', 'jsonb'),
      c(
        'strip_headers',
        `jsonb DEFAULT '["authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key", "x-auth-token"]'::jsonb NOT NULL`
      ),
      c('enabled', 'boolean DEFAULT true NOT NULL'),
      c('rate_limit_rpm', 'integer DEFAULT 600 NOT NULL'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('updated_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('deleted_at', 'timestamp with time zone'),
      c('provider_type', "text DEFAULT 'generic'::text NOT NULL"),
      c('git_config', 'jsonb'),
    ],
    constraints: [
      'CONSTRAINT generic_webhook_sources_pkey PRIMARY KEY (id)',
      'CONSTRAINT generic_webhook_sources_routing_key_key UNIQUE (routing_key)',
      "CONSTRAINT generic_webhook_sources_provider_type_check CHECK ((provider_type = ANY (ARRAY['generic'::text, 'local'::text])))",
    ],
    indexes: [
      {
        sql: 'CREATE UNIQUE INDEX idx_generic_webhook_sources_customer_name ON public.generic_webhook_sources USING btree (customer_id, name) WHERE (deleted_at IS NULL)',
      },
    ],
  },
  {
    name: 'remote_sources',
    columns: [
      c('customer_id', 'character varying(255) NOT NULL'),
      c('routing_key', 'character varying(255) NOT NULL'),
      c('cluster_id', 'text'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('updated_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
    ],
    constraints: [
      'CONSTRAINT remote_sources_customer_id_key UNIQUE (customer_id)',
      'CONSTRAINT remote_sources_routing_key_key UNIQUE (routing_key)',
    ],
    indexes: [],
  },
  {
    name: 'admin_tokens',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('token_hash', 'text NOT NULL'),
      c('label', 'text NOT NULL'),
      c('role', 'text NOT NULL'),
      c('routing_key', 'text'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('expires_at', 'timestamp with time zone'),
      c('last_used_at', 'timestamp with time zone'),
      c('revoked', 'boolean DEFAULT false NOT NULL'),
      c('subject', 'text', v9),
    ],
    constraints: [
      'CONSTRAINT admin_tokens_pkey PRIMARY KEY (id)',
      'CONSTRAINT admin_tokens_token_hash_key UNIQUE (token_hash)',
    ],
    indexes: [],
  },
  {
    name: 'agent_tokens',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('token_hash', 'text NOT NULL'),
      c('token_prefix', 'text NOT NULL'),
      c('labels', 'text'),
      c('agent_type', 'text NOT NULL'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('last_seen_at', 'timestamp with time zone'),
      c('created_by', 'text'),
      c('revoked_at', 'timestamp with time zone'),
      c('expires_at', 'timestamp with time zone'),
      c('consumed_at', 'timestamp with time zone'),
      c('mandatory_labels', 'text'),
    ],
    constraints: [
      'CONSTRAINT agent_tokens_pkey PRIMARY KEY (id)',
      'CONSTRAINT agent_tokens_token_hash_key UNIQUE (token_hash)',
      "CONSTRAINT agent_tokens_agent_type_check CHECK ((agent_type = ANY (ARRAY['ephemeral'::text, 'static'::text])))",
    ],
    indexes: [],
  },
  {
    name: 'access_log',
    columns: [
      c('id', 'uuid DEFAULT gen_random_uuid() NOT NULL'),
      c('org_id', 'character varying(16)'),
      c('routing_key', 'text'),
      c('actor_type', 'text NOT NULL'),
      c('actor_id', 'text NOT NULL'),
      c('actor_meta', 'jsonb'),
      c('action', 'text NOT NULL'),
      c('target_type', 'text'),
      c('target_id', 'text'),
      c('request_id', 'uuid'),
      c('source', 'text NOT NULL'),
      c('outcome', 'text NOT NULL'),
      c('error_message', 'text'),
      c('created_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('archived_at', 'timestamp with time zone'),
      c('archive_object_key', 'text'),
      c('agent_label', 'text'),
    ],
    constraints: ['CONSTRAINT access_log_pkey PRIMARY KEY (id)'],
    indexes: [
      { sql: 'CREATE INDEX access_log_created_at_idx ON public.access_log USING btree (created_at)' },
      {
        sql: 'CREATE INDEX access_log_target_idx ON public.access_log USING btree (target_type, target_id) WHERE ((target_type IS NOT NULL) AND (target_id IS NOT NULL))',
      },
    ],
  },
  {
    name: 'dedup_cache',
    columns: [
      c('delivery_id', 'text NOT NULL'),
      c('received_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('expires_at', 'timestamp with time zone NOT NULL'),
    ],
    constraints: ['CONSTRAINT dedup_cache_pkey PRIMARY KEY (delivery_id)'],
    indexes: [],
  },
  {
    name: 'scaler_reservations',
    columns: [
      c('agent_id', 'text NOT NULL'),
      c('scaler_name', 'text NOT NULL'),
      c('cpu_units', 'double precision NOT NULL'),
      c('mem_bytes', 'bigint NOT NULL'),
      c('reserved_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('owner_instance_id', 'text', v9),
    ],
    constraints: ['CONSTRAINT scaler_reservations_pkey PRIMARY KEY (agent_id)'],
    indexes: [
      {
        sql: 'CREATE INDEX idx_scaler_reservations_scaler_name ON public.scaler_reservations USING btree (scaler_name)',
      },
    ],
  },
  {
    name: 'scaler_spawning_agents',
    columns: [
      c('agent_id', 'text NOT NULL'),
      c('scaler_name', 'text NOT NULL'),
      c('label_set', 'jsonb NOT NULL'),
      c('run_id', 'text'),
      c('job_id', 'text'),
      c('bound_job_id', 'text'),
      c('spawned_at', 'timestamp with time zone DEFAULT now() NOT NULL'),
      c('owner_instance_id', 'text', v9),
      c('adopted_by', 'text', v9),
      c('adopted_at', 'timestamp with time zone', v9),
      c('mandatory_labels', 'jsonb', v9),
      c('provisioning_targets', 'jsonb', v9),
      c('roles', 'jsonb', v9),
      c('backend_type', 'text', v9),
    ],
    constraints: ['CONSTRAINT scaler_spawning_agents_pkey PRIMARY KEY (agent_id)'],
    indexes: [],
  },
];

const SOURCE_TRIGGERS = `
CREATE FUNCTION public.notify_generic_sources_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM pg_notify('generic_sources_change', OLD.routing_key);
  ELSE PERFORM pg_notify('generic_sources_change', NEW.routing_key); END IF;
  RETURN NULL;
END; $$;
CREATE FUNCTION public.notify_sources_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM pg_notify('sources_change', OLD.routing_key);
  ELSE PERFORM pg_notify('sources_change', NEW.routing_key); END IF;
  RETURN NULL;
END; $$;
CREATE TRIGGER generic_sources_change_trigger AFTER INSERT OR DELETE OR UPDATE ON public.generic_webhook_sources FOR EACH ROW EXECUTE FUNCTION public.notify_generic_sources_change();
CREATE TRIGGER sources_change_trigger AFTER INSERT OR DELETE OR UPDATE ON public.sources FOR EACH ROW EXECUTE FUNCTION public.notify_sources_change();
`;

/** The real column name in a layout (0.1 predates the environments → contexts rename). */
export function columnName(table: string, column09: string, layout: SchemaLayout): string | null {
  const t = TABLES.find((x) => x.name === table);
  const col = t?.columns.find((x) => x.name === column09);
  if (!t || !col || (layout === '0.1' && (t.only09 || col.only09))) {
    return null;
  }
  return layout === '0.1' && col.name01 ? col.name01 : col.name;
}

export function tablesFor(layout: SchemaLayout): Table[] {
  return TABLES.filter((t) => layout === '0.9' || !t.only09);
}

/** The DDL for a layout, as one script (exported so a test or `psql` can read what is created). */
export function schemaSql(layout: SchemaLayout): string {
  const parts: string[] = [];
  for (const t of tablesFor(layout)) {
    const cols = t.columns
      .filter((col) => layout === '0.9' || !col.only09)
      .map(
        (col) =>
          `    ${layout === '0.1' && col.name01 ? col.name01 : col.name === 'timestamp' ? '"timestamp"' : col.name} ${col.type}`
      );
    parts.push(
      `CREATE TABLE public.${t.name} (\n${[...cols, ...t.constraints.map((x) => `    ${x}`)].join(',\n')}\n);`
    );
  }
  for (const t of tablesFor(layout)) {
    for (const ix of t.indexes) {
      if (layout === '0.9' || !ix.only09) {
        parts.push(`${ix.sql};`);
      }
    }
  }
  parts.push(SOURCE_TRIGGERS);
  return parts.join('\n');
}

export function migrationNames(layout: SchemaLayout): readonly string[] {
  return layout === '0.9' ? MIGRATIONS_0_9 : MIGRATIONS_0_1;
}

/**
 * Creates the tables in an empty database and records the layout's migrations in `kysely_migration`
 * (which is how the plugin detects 0.1 vs 0.9), plus the rows migration 001 seeds
 * (`cluster_meta.cluster_id`, the built-in `pg` secret backend).
 */
export async function applySchema(
  db: pg.ClientBase | pg.Pool,
  layout: SchemaLayout,
  appliedAt = new Date()
): Promise<void> {
  // A transaction needs one connection: take one from a pool.
  const pooled = 'totalCount' in db;
  const client: pg.ClientBase = pooled ? await (db as pg.Pool).connect() : (db as pg.ClientBase);
  try {
    await applyInTransaction(client, layout, appliedAt);
  } finally {
    if (pooled) {
      (client as pg.PoolClient).release();
    }
  }
}

async function applyInTransaction(client: pg.ClientBase, layout: SchemaLayout, appliedAt: Date): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(schemaSql(layout));
    const names = migrationNames(layout);
    // Kysely stores the ISO time each migration ran; a few ms apart like a real first boot.
    const stamps = names.map((_, i) => new Date(appliedAt.getTime() + i).toISOString());
    await client.query(
      `INSERT INTO kysely_migration (name, "timestamp") SELECT * FROM unnest($1::text[], $2::text[])`,
      [names as string[], stamps]
    );
    await client.query(`INSERT INTO kysely_migration_lock (id, is_locked) VALUES ('migration_lock', 0)`);
    await client.query(`INSERT INTO cluster_meta (key, value) VALUES ('cluster_id', gen_random_uuid()::text)`);
    await client.query(
      `INSERT INTO secret_backends (name, backend_type, config_encrypted, scope_filter) VALUES ('pg', 'pg', '', '**')`
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

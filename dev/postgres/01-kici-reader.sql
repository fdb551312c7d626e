-- The plugin's recommended database role: read-only, as `kici-admin db create-readonly-user` creates it.
-- Runs once, when the PostgreSQL container initialises its data directory (as POSTGRES_USER, the orchestrator's owner role).
CREATE ROLE kici_reader LOGIN PASSWORD 'kici_reader';
GRANT CONNECT ON DATABASE kici TO kici_reader;
GRANT USAGE ON SCHEMA public TO kici_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kici_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO kici_reader;
-- The DLQ redrive keeps its state in a schema of the plugin's own (README, "DLQ redrive"); nothing else is writable.
CREATE SCHEMA kici_grafana AUTHORIZATION kici_reader;

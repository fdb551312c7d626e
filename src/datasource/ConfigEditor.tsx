import { css } from '@emotion/css';
import { type DataSourcePluginOptionsEditorProps, type GrafanaTheme2, type SelectableValue } from '@grafana/data';
import {
  Button,
  Field,
  FieldSet,
  IconButton,
  Input,
  RadioButtonGroup,
  SecretInput,
  SecretTextArea,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';
import React, { type ChangeEvent, type FormEvent } from 'react';

import { testIds } from '../components/testIds';
import {
  isSecureConfigured,
  needsCaCert,
  parsePositiveInt,
  removeAt,
  replaceAt,
  type SecureKey,
  urlProblem,
  withJsonData,
  withSecureReset,
  withSecureValue,
} from './configSettings';
import {
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_PG_MAX_CONNECTIONS,
  DEFAULT_PG_PORT,
  DEFAULT_PG_STATEMENT_TIMEOUT_MS,
  type KiciDataSourceOptions,
  type KiciSecureJsonData,
  type PostgresSslMode,
} from './query';
import type { KiciJsonData } from './types';

type Props = DataSourcePluginOptionsEditorProps<KiciJsonData, KiciSecureJsonData>;

const SSL_MODES: Array<SelectableValue<PostgresSslMode>> = [
  { label: 'disable', value: 'disable', description: 'No TLS' },
  { label: 'require', value: 'require', description: 'Encrypt, do not verify the server certificate' },
  { label: 'verify-ca', value: 'verify-ca', description: 'Encrypt and verify the certificate against the CA' },
  { label: 'verify-full', value: 'verify-full', description: 'verify-ca plus a host name check' },
];

const DISCARD_ROLES: Array<SelectableValue<'Editor' | 'Admin'>> = [
  { label: 'Editor', value: 'Editor' },
  { label: 'Admin', value: 'Admin' },
];

const WIDTH = 40;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const styles = useStyles2(getStyles);
  const { jsonData } = options;
  const urls = jsonData.orchestratorUrls?.length ? jsonData.orchestratorUrls : [''];

  const setJson = (patch: Partial<KiciDataSourceOptions>) => onOptionsChange(withJsonData(options, patch));
  const onText = (key: keyof KiciDataSourceOptions) => (e: ChangeEvent<HTMLInputElement>) =>
    setJson({ [key]: e.currentTarget.value.trim() || undefined });
  const onNumber = (key: keyof KiciDataSourceOptions) => (e: ChangeEvent<HTMLInputElement>) =>
    setJson({ [key]: parsePositiveInt(e.currentTarget.value) });
  const secretProps = (key: SecureKey) => ({
    isConfigured: isSecureConfigured(options, key),
    value: options.secureJsonData?.[key] ?? '',
    onReset: () => onOptionsChange(withSecureReset(options, key)),
  });
  const onSecret = (key: SecureKey) => (e: FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    onOptionsChange(withSecureValue(options, key, e.currentTarget.value));
  const setUrls = (next: string[]) => setJson({ orchestratorUrls: next.length ? next : undefined });

  return (
    <div className={styles.container} data-testid={testIds.configEditor.container}>
      <Text element="p" color="secondary">
        KiCI reads the orchestrator&apos;s PostgreSQL database (DLQ, executions, agents, secret backends), calls each
        orchestrator&apos;s HTTP endpoints (health, cluster, admin API) and, when configured, the KiCI Platform API.
        Save &amp; test checks every component and says what to fix.
      </Text>

      <FieldSet label="Orchestrator PostgreSQL">
        <Field label="Host" htmlFor="kici-pg-host" description="Host name or IP of the orchestrator database">
          <Input
            id="kici-pg-host"
            width={WIDTH}
            value={jsonData.pgHost ?? ''}
            placeholder="postgres"
            onChange={onText('pgHost')}
          />
        </Field>
        <Field label="Port" htmlFor="kici-pg-port">
          <Input
            id="kici-pg-port"
            type="number"
            width={WIDTH}
            value={jsonData.pgPort ?? ''}
            placeholder={String(DEFAULT_PG_PORT)}
            onChange={onNumber('pgPort')}
          />
        </Field>
        <Field label="Database" htmlFor="kici-pg-database">
          <Input
            id="kici-pg-database"
            width={WIDTH}
            value={jsonData.pgDatabase ?? ''}
            placeholder="kici"
            onChange={onText('pgDatabase')}
          />
        </Field>
        <Field
          label="User"
          htmlFor="kici-pg-user"
          description={
            <>
              A read-only role is recommended: create one with <code>kici-admin db create-readonly-user</code>. Retry,
              discard, sync and test go through the orchestrator admin API, never through this user.
            </>
          }
        >
          <Input
            id="kici-pg-user"
            width={WIDTH}
            value={jsonData.pgUser ?? ''}
            placeholder="kici_reader"
            onChange={onText('pgUser')}
          />
        </Field>
        <Field label="Password" htmlFor="kici-pg-password">
          <SecretInput
            id="kici-pg-password"
            width={WIDTH}
            {...secretProps('pgPassword')}
            onChange={onSecret('pgPassword')}
          />
        </Field>
        <Field label="TLS mode" description="PostgreSQL sslmode">
          <RadioButtonGroup
            options={SSL_MODES}
            value={jsonData.pgSslMode ?? 'disable'}
            onChange={(pgSslMode) => setJson({ pgSslMode })}
          />
        </Field>
        {needsCaCert(jsonData.pgSslMode) && (
          <Field
            label="CA certificate"
            htmlFor="kici-pg-ca"
            description="PEM of the CA that signed the server certificate"
          >
            <SecretTextArea
              id="kici-pg-ca"
              rows={6}
              cols={60}
              placeholder="-----BEGIN CERTIFICATE-----"
              {...secretProps('pgCaCert')}
              onChange={onSecret('pgCaCert')}
            />
          </Field>
        )}
        <Field
          label="Max connections"
          htmlFor="kici-pg-max"
          description="Upper bound of the datasource's connection pool"
        >
          <Input
            id="kici-pg-max"
            type="number"
            width={WIDTH}
            value={jsonData.pgMaxConnections ?? ''}
            placeholder={String(DEFAULT_PG_MAX_CONNECTIONS)}
            onChange={onNumber('pgMaxConnections')}
          />
        </Field>
        <Field label="Statement timeout (ms)" htmlFor="kici-pg-timeout">
          <Input
            id="kici-pg-timeout"
            type="number"
            width={WIDTH}
            value={jsonData.pgStatementTimeoutMs ?? ''}
            placeholder={String(DEFAULT_PG_STATEMENT_TIMEOUT_MS)}
            onChange={onNumber('pgStatementTimeoutMs')}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Orchestrator HTTP">
        <Field
          label="Orchestrator URLs"
          description="One base URL per coordinator of the cluster (KICI_PORT, default 4000, plus KICI_BASE_PATH if set)"
        >
          <Stack direction="column" gap={1}>
            {urls.map((url, index) => {
              const problem = url === '' ? undefined : urlProblem(url);
              return (
                // The Field wraps the Input alone: Field hands `invalid` to its child, which a Stack would put on a div.
                <Stack key={index} direction="row" gap={1} alignItems="flex-start">
                  <Field invalid={Boolean(problem)} error={problem} className={styles.urlRow}>
                    <Input
                      aria-label={`Orchestrator URL ${index + 1}`}
                      width={WIDTH}
                      value={url}
                      placeholder="http://orchestrator:4000"
                      onChange={(e) => setUrls(replaceAt(urls, index, e.currentTarget.value.trim()))}
                    />
                  </Field>
                  <div className={styles.removeUrl}>
                    <IconButton
                      name="trash-alt"
                      tooltip={`Remove orchestrator URL ${index + 1}`}
                      onClick={() => setUrls(removeAt(urls, index))}
                    />
                  </div>
                </Stack>
              );
            })}
            <div>
              <Button variant="secondary" size="sm" icon="plus" onClick={() => setUrls([...urls, ''])}>
                Add orchestrator URL
              </Button>
            </div>
          </Stack>
        </Field>
        <Field
          label="Admin token"
          htmlFor="kici-admin-token"
          description="Bearer token for the admin API (kici-admin token create). An auditor token can read; retry and discard need admin or owner."
        >
          <SecretInput
            id="kici-admin-token"
            width={WIDTH}
            {...secretProps('adminToken')}
            onChange={onSecret('adminToken')}
          />
        </Field>
        <Field
          label="HTTP timeout (ms)"
          htmlFor="kici-http-timeout"
          description="Per request, orchestrator and Platform"
        >
          <Input
            id="kici-http-timeout"
            type="number"
            width={WIDTH}
            value={jsonData.httpTimeoutMs ?? ''}
            placeholder={String(DEFAULT_HTTP_TIMEOUT_MS)}
            onChange={onNumber('httpTimeoutMs')}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Agents (optional)">
        <Field
          label="Agent health port"
          htmlFor="kici-agent-port"
          description="The agents' KICI_PORT (default 8080). When set, the health matrix probes /health and /ready of every agent the host roster lists as connected; leave empty to not probe agents."
        >
          <Input
            id="kici-agent-port"
            type="number"
            width={WIDTH}
            value={jsonData.agentHealthPort ?? ''}
            placeholder="8080"
            onChange={onNumber('agentHealthPort')}
          />
        </Field>
      </FieldSet>

      <FieldSet label="KiCI Platform (optional)">
        <Text element="p" color="secondary">
          Some infrastructure details (CPU, memory, connection state, agent versions, orphaned connections) exist only
          in the Platform. Without it the pages say which fields are missing.
        </Text>
        <Field
          label="Platform URL"
          htmlFor="kici-platform-url"
          invalid={Boolean(jsonData.platformUrl && urlProblem(jsonData.platformUrl))}
          error={jsonData.platformUrl ? urlProblem(jsonData.platformUrl) : undefined}
        >
          <Input
            id="kici-platform-url"
            width={WIDTH}
            value={jsonData.platformUrl ?? ''}
            placeholder="https://platform.example.com"
            onChange={onText('platformUrl')}
          />
        </Field>
        <Field label="Organization" htmlFor="kici-platform-org">
          <Input
            id="kici-platform-org"
            width={WIDTH}
            value={jsonData.platformOrg ?? ''}
            placeholder="my-org"
            onChange={onText('platformOrg')}
          />
        </Field>
        <Field label="Platform token" htmlFor="kici-platform-token">
          <SecretInput
            id="kici-platform-token"
            width={WIDTH}
            {...secretProps('platformToken')}
            onChange={onSecret('platformToken')}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Actions">
        <Field
          label="Who may discard DLQ events"
          description="Lowest Grafana role allowed to discard (retry, sync and test need Editor; Viewers can never act). Default: Admin."
        >
          <RadioButtonGroup
            options={DISCARD_ROLES}
            value={jsonData.discardMinRole ?? 'Admin'}
            onChange={(discardMinRole) => setJson({ discardMinRole })}
          />
        </Field>
      </FieldSet>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ maxWidth: theme.breakpoints.values.md }),
  urlRow: css({ marginBottom: 0 }),
  // The input's height, so the button sits beside the input and not beside its error message.
  removeUrl: css({ display: 'flex', alignItems: 'center', height: theme.spacing(theme.components.height.md) }),
});

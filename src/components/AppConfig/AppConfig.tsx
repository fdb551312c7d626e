import { type AppPluginMeta, type DataSourceInstanceSettings, type PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Stack, Text } from '@grafana/ui';
import React, { type FormEvent, useState } from 'react';

import { KICI_DATASOURCE_TYPE } from '../../constants';
import type { KiciAppSettings } from '../../datasource/query';
import { testIds } from '../testIds';
import { appSettingsUpdate, saveAppSettings } from './appSettings';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<KiciAppSettings>> {}

type PickerKey = keyof KiciAppSettings;

const PICKERS: Array<{ key: PickerKey; label: string; description: string; inputId: string; filter: object }> = [
  {
    key: 'kiciDatasourceUid',
    label: 'KiCI datasource',
    description: 'Where the pages read orchestrator, DLQ and infrastructure data. Default: the first KiCI datasource.',
    inputId: 'kici-app-kici-ds',
    filter: { pluginId: KICI_DATASOURCE_TYPE },
  },
  {
    key: 'lokiDatasourceUid',
    label: 'Loki',
    description: 'KiCI JSON logs (orchestrator, agents): log links by requestId, runId, eventId',
    inputId: 'kici-app-loki-ds',
    filter: { type: 'loki' },
  },
  {
    key: 'prometheusDatasourceUid',
    label: 'Prometheus',
    description: 'Scraped orchestrator and agent /metrics',
    inputId: 'kici-app-prometheus-ds',
    filter: { type: 'prometheus' },
  },
];

const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData, id } = plugin.meta;
  const [settings, setSettings] = useState<KiciAppSettings>({ ...jsonData });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await saveAppSettings(id, appSettingsUpdate({ enabled, pinned }, settings));
      // Plugin meta is loaded once per page load: reload so the pages see the new settings.
      locationService.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : ((e as { data?: { message?: string } })?.data?.message ?? String(e)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={onSubmit} data-testid={testIds.appConfig.container}>
      <FieldSet label="Datasources">
        <Text element="p" color="secondary">
          Choose the datasources the KiCI pages use. Connection details live in the KiCI datasource&apos;s own settings.
        </Text>
        {PICKERS.map(({ key, label, description, inputId, filter }) => (
          <Field key={key} label={label} description={description} htmlFor={inputId}>
            <DataSourcePicker
              {...filter}
              inputId={inputId}
              width={40}
              noDefault
              current={settings[key] ?? null}
              onChange={(ds: DataSourceInstanceSettings) => setSettings((s) => ({ ...s, [key]: ds.uid }))}
              onClear={() => setSettings((s) => ({ ...s, [key]: undefined }))}
            />
          </Field>
        ))}
        {error && (
          <Alert severity="error" title="Saving the settings failed">
            {error}
          </Alert>
        )}
        <Stack>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </Button>
        </Stack>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

import type { AppPluginMeta, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import type { KiciAppSettings } from '../../datasource/query';

/** Drops unset pickers so a cleared choice is removed from jsonData instead of saved as an empty string. */
export function cleanAppSettings(settings: KiciAppSettings): KiciAppSettings {
  const clean: KiciAppSettings = {};
  for (const key of ['kiciDatasourceUid', 'lokiDatasourceUid', 'prometheusDatasourceUid'] as const) {
    const value = settings[key]?.trim();
    if (value) {
      clean[key] = value;
    }
  }
  return clean;
}

/** The body of `POST /api/plugins/<id>/settings`: keeps enabled/pinned as they are, replaces jsonData. */
export function appSettingsUpdate(
  meta: Pick<AppPluginMeta<KiciAppSettings>, 'enabled' | 'pinned'>,
  settings: KiciAppSettings
): Partial<PluginMeta<KiciAppSettings>> {
  return { enabled: meta.enabled, pinned: meta.pinned, jsonData: cleanAppSettings(settings) };
}

export async function saveAppSettings(pluginId: string, body: Partial<PluginMeta<KiciAppSettings>>): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${pluginId}/settings`,
      method: 'POST',
      data: body,
      showSuccessAlert: false,
    })
  );
}

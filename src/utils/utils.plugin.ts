import { type AppRootProps } from '@grafana/data';
import React, { useContext } from 'react';

import type { KiciAppSettings } from '../datasource/query';

/** The app root props (plugin meta with the app's jsonData), available anywhere inside the app. */
export const PluginPropsContext = React.createContext<AppRootProps<KiciAppSettings> | null>(null);

export const usePluginProps = () => useContext(PluginPropsContext);

export const usePluginMeta = () => usePluginProps()?.meta;

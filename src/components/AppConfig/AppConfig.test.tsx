import { type AppPluginMeta, type PluginConfigPageProps, PluginType } from '@grafana/data';
import {
  type BackendSrv,
  type BackendSrvRequest,
  locationService,
  setBackendSrv,
  setDataSourceSrv,
} from '@grafana/runtime';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { of, throwError } from 'rxjs';

import type { KiciAppSettings } from '../../datasource/query';
import { dataSourceSrvStub, dsSettings } from '../../utils/testing';
import { testIds } from '../testIds';
import AppConfig, { type AppConfigProps } from './AppConfig';

function props(jsonData: KiciAppSettings): AppConfigProps {
  return {
    plugin: {
      meta: {
        id: 'kici-ops-app',
        name: 'KiCI',
        type: PluginType.app,
        enabled: true,
        pinned: false,
        jsonData,
      } as AppPluginMeta<KiciAppSettings>,
    },
    query: {},
  } as unknown as PluginConfigPageProps<AppPluginMeta<KiciAppSettings>>;
}

describe('AppConfig', () => {
  let requests: BackendSrvRequest[];
  let failWith: unknown;
  let reload: jest.SpyInstance;

  beforeEach(() => {
    requests = [];
    failWith = undefined;
    setDataSourceSrv(
      dataSourceSrvStub([
        dsSettings('kici', 'kici-ops-datasource', 'KiCI production'),
        dsSettings('kici-staging', 'kici-ops-datasource', 'KiCI staging'),
        dsSettings('loki', 'loki', 'Loki logs'),
        dsSettings('prom', 'prometheus', 'Prometheus metrics'),
      ])
    );
    setBackendSrv({
      fetch: (req: BackendSrvRequest) => {
        requests.push(req);
        return failWith ? throwError(() => failWith) : of({ data: {}, status: 200, ok: true });
      },
    } as unknown as BackendSrv);
    reload = jest.spyOn(locationService, 'reload').mockImplementation(() => {});
  });

  afterEach(() => reload.mockRestore());

  it('shows the saved choices', () => {
    render(<AppConfig {...props({ kiciDatasourceUid: 'kici-staging', lokiDatasourceUid: 'loki' })} />);
    expect(screen.getByText('KiCI staging')).toBeInTheDocument();
    expect(screen.getByText('Loki logs')).toBeInTheDocument();
  });

  it('offers only KiCI datasources in the KiCI picker and saves the choice to the app jsonData', async () => {
    const user = userEvent.setup();
    render(<AppConfig {...props({ lokiDatasourceUid: 'loki' })} />);

    await user.click(screen.getByLabelText(/^KiCI datasource/));
    expect(screen.getByText('KiCI production')).toBeInTheDocument();
    expect(screen.getByText('KiCI staging')).toBeInTheDocument();
    expect(screen.queryByText('Prometheus metrics')).not.toBeInTheDocument();
    await user.click(screen.getByText('KiCI staging'));

    await user.click(screen.getByLabelText(/^Prometheus/));
    await user.click(screen.getByText('Prometheus metrics'));

    await user.click(screen.getByTestId(testIds.appConfig.submit));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: '/api/plugins/kici-ops-app/settings',
      method: 'POST',
      data: {
        enabled: true,
        pinned: false,
        jsonData: { kiciDatasourceUid: 'kici-staging', lokiDatasourceUid: 'loki', prometheusDatasourceUid: 'prom' },
      },
    });
    expect(requests[0].data).not.toHaveProperty('secureJsonData');
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('says when saving fails and does not reload', async () => {
    const user = userEvent.setup();
    failWith = { status: 403, data: { message: 'Permission denied' } };
    render(<AppConfig {...props({})} />);
    await user.click(screen.getByTestId(testIds.appConfig.submit));
    expect(await screen.findByText('Permission denied')).toBeInTheDocument();
    expect(reload).not.toHaveBeenCalled();
  });
});

import { appSettingsUpdate, cleanAppSettings } from './appSettings';

describe('app settings', () => {
  it('drops cleared and blank choices', () => {
    expect(
      cleanAppSettings({ kiciDatasourceUid: ' kici ', lokiDatasourceUid: '', prometheusDatasourceUid: undefined })
    ).toEqual({
      kiciDatasourceUid: 'kici',
    });
  });

  it('keeps enabled/pinned and replaces jsonData', () => {
    expect(appSettingsUpdate({ enabled: false, pinned: true }, { lokiDatasourceUid: 'loki' })).toEqual({
      enabled: false,
      pinned: true,
      jsonData: { lokiDatasourceUid: 'loki' },
    });
  });
});

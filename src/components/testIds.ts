// Central data-testids, shared by unit tests and browser tests.
export const testIds = {
  appConfig: {
    container: 'data-testid kici-app-config',
    submit: 'data-testid kici-app-config-submit',
  },
  configEditor: {
    container: 'data-testid kici-config-editor',
  },
  queryEditor: {
    container: 'data-testid kici-query-editor',
  },
  app: {
    missingDatasource: 'data-testid kici-missing-datasource',
  },
};

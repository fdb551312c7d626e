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
  traces: {
    page: 'data-testid kici-traces',
    input: 'data-testid kici-traces-input',
    kind: 'data-testid kici-traces-kind',
    submit: 'data-testid kici-traces-submit',
    problem: 'data-testid kici-traces-problem',
    lokiMissing: 'data-testid kici-traces-loki-missing',
    logql: 'data-testid kici-traces-logql',
    dashboardLink: 'data-testid kici-traces-dashboard-link',
    exploreLink: 'data-testid kici-traces-explore-link',
    matched: 'data-testid kici-traces-matched',
    related: 'data-testid kici-traces-related',
    view: 'data-testid kici-traces-view',
    /** One per tier in the grouped view; carries `data-tier`. */
    tierGroup: 'data-testid kici-traces-tier-group',
    /** One per log line; carries `data-tier` and `data-level`. */
    line: 'data-testid kici-traces-line',
    empty: 'data-testid kici-traces-empty',
    truncated: 'data-testid kici-traces-truncated',
  },
};

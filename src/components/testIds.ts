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
  overview: {
    successRateDefinition: 'data-testid kici-overview-success-rate-definition',
  },
  secretBackends: {
    list: 'data-testid kici-secret-backends',
    empty: 'data-testid kici-secret-backends-empty',
    error: 'data-testid kici-secret-backends-error',
    /** One per backend; the card also carries `data-backend="<name>"`. */
    card: 'data-testid kici-secret-backend-card',
    health: 'data-testid kici-secret-backend-health',
    lastError: 'data-testid kici-secret-backend-last-error',
    sync: 'data-testid kici-secret-backend-sync',
    test: 'data-testid kici-secret-backend-test',
    actionResult: 'data-testid kici-secret-backend-action-result',
    disabledReason: 'data-testid kici-secret-backends-disabled-reason',
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
  dlq: {
    page: 'data-testid kici-dlq',
    stats: 'data-testid kici-dlq-stats',
    /** One per stat; the card also carries `data-stat="<depth|admitted1h|admitted24h|retryBacklog|leaseExpirations>"`. */
    stat: 'data-testid kici-dlq-stat',
    filters: 'data-testid kici-dlq-filters',
    /** One per text filter; also `data-filter="<eventName|routingKey|repo|errorText>"`. */
    filter: 'data-testid kici-dlq-filter',
    inRange: 'data-testid kici-dlq-in-range',
    clearFilters: 'data-testid kici-dlq-clear-filters',
    table: 'data-testid kici-dlq-table',
    empty: 'data-testid kici-dlq-empty',
    error: 'data-testid kici-dlq-error',
    /** One per event; also `data-event-id="<uuid>"`. */
    row: 'data-testid kici-dlq-row',
    rowLink: 'data-testid kici-dlq-row-link',
    retry: 'data-testid kici-dlq-retry',
    discard: 'data-testid kici-dlq-discard',
    previousPage: 'data-testid kici-dlq-previous-page',
    nextPage: 'data-testid kici-dlq-next-page',
    pageInfo: 'data-testid kici-dlq-page-info',
    bulkRetry: 'data-testid kici-dlq-bulk-retry',
    actionsDisabled: 'data-testid kici-dlq-actions-disabled',
    runbook: 'data-testid kici-dlq-runbook',
    /** One per triage step; also `data-step="<confirm|inspect|logs|fix|decide|watch>"`. */
    runbookStep: 'data-testid kici-dlq-runbook-step',
    detail: 'data-testid kici-dlq-detail',
    detailError: 'data-testid kici-dlq-detail-error',
    payload: 'data-testid kici-dlq-payload',
    lastError: 'data-testid kici-dlq-last-error',
    logsTraceLink: 'data-testid kici-dlq-logs-trace-link',
    runTraceLink: 'data-testid kici-dlq-run-trace-link',
    exploreLink: 'data-testid kici-dlq-explore-link',
  },
};

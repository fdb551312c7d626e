// Test ids of the signatures view (Playwright imports them without React).
export const SIGNATURE_TEST_IDS = {
  view: 'kici-dlq-signatures',
  row: 'kici-dlq-signature-row',
  events: 'kici-dlq-signature-events',
  event: 'kici-dlq-signature-event',
  results: 'kici-dlq-signature-results',
  result: 'kici-dlq-signature-result',
  sparkline: 'kici-dlq-signature-sparkline',
  showInList: 'kici-dlq-signature-show-in-list',
};

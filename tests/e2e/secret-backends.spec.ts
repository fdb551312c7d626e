// Secret backends on secrets-degraded: vault-prod cannot be reached (its last error shows), vault-dr is sealed, the
// PostgreSQL backend is healthy. Test and Sync go through the real executable to the orchestrator's admin API and the
// result shows on the card; a Viewer sees both disabled with the reason.
import { SECRETS_DEGRADED_KNOWN } from '../../dev/kici-sim/scenarios/secrets-degraded';
import { expect, test } from './fixtures';
import { SecretBackendsPage } from './pages/SecretBackendsPage';

const DS = 'kici-secrets-degraded';
const UNREACHABLE = SECRETS_DEGRADED_KNOWN.unreachable;

test('Test and Sync on the unreachable Vault show its error; on the healthy backend they succeed', async ({ page }) => {
  const backends = new SecretBackendsPage(page);
  await backends.goto({ role: 'Admin', ds: DS });
  await expect(backends.heading()).toHaveText('Secret backends');

  const health = await backends.health();
  expect(health[UNREACHABLE]).toBe('red');
  expect(Object.keys(health)).toContain(SECRETS_DEGRADED_KNOWN.degraded);
  const healthy = Object.keys(health).filter((name) => health[name] === 'green');
  expect(healthy).toHaveLength(1);
  await expect(backends.lastError(UNREACHABLE)).toContainText(SECRETS_DEGRADED_KNOWN.lastSyncError);

  await backends.run(UNREACHABLE, 'test');
  await expect(backends.result(UNREACHABLE)).toHaveAttribute('data-ok', 'false');
  await expect(backends.result(UNREACHABLE)).toContainText(`Test of “${UNREACHABLE}” failed`);
  await expect(backends.result(UNREACHABLE)).toContainText('Backend status: unreachable');

  await backends.run(healthy[0], 'test');
  await expect(backends.result(healthy[0])).toHaveAttribute('data-ok', 'true');
  await expect(backends.result(healthy[0])).toContainText(`Test of “${healthy[0]}” passed`);

  await backends.run(UNREACHABLE, 'sync');
  await expect(backends.result(UNREACHABLE)).toHaveAttribute('data-ok', 'false');
  await expect(backends.result(UNREACHABLE)).toContainText(`Sync of “${UNREACHABLE}” failed`);

  await backends.run(healthy[0], 'sync');
  await expect(backends.result(healthy[0])).toHaveAttribute('data-ok', 'true');
  await expect(backends.result(healthy[0])).toContainText(/Sync of “.+” (succeeded|requested)/);
});

test('a Viewer sees Sync and Test disabled with the reason', async ({ page }) => {
  const backends = new SecretBackendsPage(page);
  await backends.goto({ role: 'Viewer', ds: DS });
  await backends.health();
  await expect(backends.disabledReason()).toBeVisible();
  await expect(backends.disabledReason()).toContainText(/Viewer|role|Editor|Admin/);
  await expect(backends.button(UNREACHABLE, 'sync')).toBeDisabled();
  await expect(backends.button(UNREACHABLE, 'test')).toBeDisabled();
});

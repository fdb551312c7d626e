import { AppEvents, type BusEvent, type EventBus } from '@grafana/data';
import { type BackendSrv, type BackendSrvRequest, setAppEvents, setBackendSrv } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Observable, of, throwError } from 'rxjs';

import { testIds } from '../../components/testIds';
import { AtPath, dsSettings } from '../../utils/testing';
import type { SecretBackend, SecretBackendList } from './api';
import { secretBackendsPage } from './secretBackendsPage';

const ids = testIds.secretBackends;
const KICI = dsSettings('kici', 'kici-ops-datasource', 'KiCI');
const BASE = '/api/datasources/uid/kici/resources/secret-backends';

const backend = (b: Partial<SecretBackend> & Pick<SecretBackend, 'name'>): SecretBackend => ({
  backendType: 'vault',
  typeLabel: 'Vault',
  enabled: true,
  healthStatus: 'healthy',
  lastError: null,
  syncIntervalMs: 300_000,
  scopeCount: 14,
  scopeFilter: '**',
  lastSyncAt: '2026-11-24T06:35:00.000Z',
  lastHealthCheckAt: '2026-11-24T06:39:30.000Z',
  ...b,
});

/** What the backend's secret-backends resources answer (features/secret-backends/index.ts), per scenario. */
class FakeBackend {
  backends: SecretBackend[] = [
    backend({
      name: 'pg',
      backendType: 'pg',
      typeLabel: 'PostgreSQL',
      scopeCount: 3,
      syncIntervalMs: 60_000,
    }),
    backend({ name: 'vault-broken', healthStatus: 'degraded', lastError: 'Health check failed', scopeCount: 0 }),
    backend({
      name: 'vault-prod',
      healthStatus: 'unreachable',
      lastError: 'connect ECONNREFUSED 127.0.0.1:8200',
      enabled: false,
      lastSyncAt: null,
    }),
  ];
  permissions: Omit<SecretBackendList, 'backends' | 'source'> = { canSync: true, canTest: true, minRole: 'Editor' };
  requests: BackendSrvRequest[] = [];
  failList?: { status: number; error: string };
  failAction?: { status: number; error: string };

  fetch(req: BackendSrvRequest): Observable<unknown> {
    this.requests.push(req);
    const fail = (f: { status: number; error: string }) =>
      throwError(() => ({ status: f.status, statusText: 'Bad Gateway', data: { error: f.error } }));
    if (req.method === 'GET' && req.url === BASE) {
      if (this.failList) {
        return fail(this.failList);
      }
      const body: SecretBackendList = { backends: this.backends, source: 'database', ...this.permissions };
      return of({ data: body, status: 200, ok: true });
    }
    const m = /^.*\/secret-backends\/([^/]+)\/(sync|test)$/.exec(req.url);
    if (req.method !== 'POST' || !m) {
      return fail({ status: 404, error: `no resource ${req.url}` });
    }
    if (!this.permissions.canSync) {
      return fail({ status: 403, error: 'this action needs the Editor role' });
    }
    if (this.failAction) {
      return fail(this.failAction);
    }
    const name = decodeURIComponent(m[1]);
    const b = this.backends.find((x) => x.name === name)!;
    if (m[2] === 'test') {
      const body =
        b.healthStatus === 'unreachable'
          ? {
              action: 'test',
              backend: name,
              ok: false,
              error: 'Backend status: unreachable',
              latencyMs: 5004,
              orchestrator: 'http://127.0.0.1:4001',
            }
          : { action: 'test', backend: name, ok: true, latencyMs: 12, orchestrator: 'http://127.0.0.1:4001' };
      return of({ data: body, status: 200, ok: true });
    }
    // KiCI says synced:true either way; the backend reads last_sync_error / last_sync_at after the call.
    if (name === 'vault-broken') {
      b.lastError = 'permission denied';
      const body = {
        action: 'sync',
        backend: name,
        ok: false,
        verified: true,
        error: 'permission denied',
        scopeCount: 0,
        lastSyncAt: b.lastSyncAt,
        reportedScopeCount: 0,
        orchestrator: 'http://127.0.0.1:4001',
      };
      return of({ data: body, status: 200, ok: true });
    }
    b.lastSyncAt = '2026-11-24T12:00:00.000Z';
    b.scopeCount = 15;
    b.lastError = null;
    const body = {
      action: 'sync',
      backend: name,
      ok: true,
      verified: true,
      scopeCount: 15,
      lastSyncAt: b.lastSyncAt,
      reportedScopeCount: 15,
      orchestrator: 'http://127.0.0.1:4001',
    };
    return of({ data: body, status: 200, ok: true });
  }
}

let kici: FakeBackend;
let toasts: Array<{ type: string; payload: unknown }>;

beforeEach(() => {
  kici = new FakeBackend();
  toasts = [];
  setBackendSrv({ fetch: (req: BackendSrvRequest) => kici.fetch(req) } as unknown as BackendSrv);
  setAppEvents({ publish: (e: BusEvent) => toasts.push(e as never) } as unknown as EventBus);
});

function renderPage() {
  const app = new SceneApp({ pages: [secretBackendsPage(KICI)] });
  render(
    <AtPath path="/a/kici-ops-app/secret-backends">
      <app.Component model={app} />
    </AtPath>
  );
}

const card = async (name: string) =>
  (await screen.findAllByTestId(ids.card)).find((c) => c.getAttribute('data-backend') === name)!;
const calls = () => kici.requests.map((r) => `${r.method} ${r.url.replace(BASE, '')}`);

describe('secret backends page', () => {
  it('shows one card per backend: type, health in colour, last error, sync interval, scopes, last sync and check, enabled', async () => {
    renderPage();
    const cards = await screen.findAllByTestId(ids.card);
    expect(cards.map((c) => c.getAttribute('data-backend'))).toEqual(['pg', 'vault-broken', 'vault-prod']);
    expect(calls()).toEqual(['GET ']);

    const pg = cards[0];
    expect(within(pg).getByRole('heading', { name: 'pg' })).toBeInTheDocument();
    expect(pg).toHaveTextContent('PostgreSQL');
    expect(pg).toHaveTextContent('every 1 min');
    expect(pg).toHaveTextContent('3 scopes');
    expect(pg).toHaveTextContent('scope filter **');
    expect(within(pg).getByTestId(ids.health)).toHaveTextContent('healthy');
    expect(within(pg).getByTestId(ids.health)).toHaveAttribute('data-color', 'green');
    expect(pg).toHaveTextContent('enabled');
    expect(within(pg).queryByTestId(ids.lastError)).not.toBeInTheDocument();
    const times = pg.querySelectorAll('time');
    expect([...times].map((t) => t.getAttribute('dateTime'))).toEqual([
      '2026-11-24T06:35:00.000Z',
      '2026-11-24T06:39:30.000Z',
    ]);
    expect(pg).toHaveTextContent('Last sync:');
    expect(pg).toHaveTextContent('Last health check:');

    const broken = cards[1];
    expect(broken).toHaveTextContent('Vault');
    expect(broken).toHaveTextContent('every 5 min');
    expect(broken).toHaveTextContent('0 scopes');
    expect(within(broken).getByTestId(ids.health)).toHaveAttribute('data-color', 'orange');
    expect(within(broken).getByTestId(ids.lastError)).toHaveTextContent('Last error: Health check failed');

    const prod = cards[2];
    expect(within(prod).getByTestId(ids.health)).toHaveTextContent('unreachable');
    expect(within(prod).getByTestId(ids.health)).toHaveAttribute('data-color', 'red');
    expect(within(prod).getByTestId(ids.lastError)).toHaveTextContent('connect ECONNREFUSED 127.0.0.1:8200');
    expect(prod).toHaveTextContent('disabled');
    expect(prod).toHaveTextContent('Last sync: never');
  });

  it('syncs after confirmation: POST sync, a success toast, the result on the card, the stored state reloaded', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await card('pg')).getByTestId(ids.sync));

    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Sync “pg” now?');
    expect(dialog).toHaveTextContent('logged with your Grafana user');
    expect(calls()).toEqual(['GET ']); // nothing happens before the confirmation
    await user.click(within(dialog).getByRole('button', { name: 'Sync' }));

    const result = await within(await card('pg')).findByTestId(ids.actionResult);
    expect(result).toHaveTextContent('Sync of “pg” succeeded: 15 scopes synced.');
    expect(result).toHaveAttribute('data-ok', 'true');
    expect(calls()).toEqual(['GET ', 'POST /pg/sync', 'GET ']);
    expect(toasts).toEqual([
      { type: AppEvents.alertSuccess.name, payload: ['Sync of “pg” succeeded', '15 scopes synced.'] },
    ]);
    expect(await card('pg')).toHaveTextContent('15 scopes');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('does nothing when the confirmation is cancelled', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await card('vault-prod')).getByTestId(ids.test));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Test “vault-prod”?');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls()).toEqual(['GET ']);
    expect(toasts).toEqual([]);
  });

  it('reports a failed sync from last_sync_error although KiCI answered synced:true', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await card('vault-broken')).getByTestId(ids.sync));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Sync' }));

    const broken = await card('vault-broken');
    const result = await within(broken).findByTestId(ids.actionResult);
    expect(result).toHaveTextContent('Sync of “vault-broken” failed: permission denied');
    expect(result).toHaveAttribute('data-ok', 'false');
    expect(toasts).toEqual([
      { type: AppEvents.alertError.name, payload: ['Sync of “vault-broken” failed', 'permission denied'] },
    ]);
    // The reload shows the stored error too.
    expect(await within(broken).findByText('Last error: permission denied')).toBeInTheDocument();
  });

  it('shows a failed Test of an unreachable Vault with the reason and latency', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await card('vault-prod')).getByTestId(ids.test));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Test' }));

    const result = await within(await card('vault-prod')).findByTestId(ids.actionResult);
    expect(result).toHaveTextContent(
      'Test of “vault-prod” failed: Backend status: unreachable (after 5004 ms, through http://127.0.0.1:4001).'
    );
    expect(calls()).toEqual(['GET ', 'POST /vault-prod/test', 'GET ']);
    expect(toasts[0].type).toBe(AppEvents.alertError.name);
  });

  it('shows the backend’s words when the action itself fails (e.g. the admin token is refused)', async () => {
    kici.failAction = {
      status: 502,
      error: 'the orchestrator (http://127.0.0.1:4001) refused the admin token (invalid, revoked or expired)',
    };
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await card('pg')).getByTestId(ids.test));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Test' }));
    const result = await within(await card('pg')).findByTestId(ids.actionResult);
    expect(result).toHaveTextContent(
      'Test of “pg” failed: the orchestrator (http://127.0.0.1:4001) refused the admin token'
    );
    expect(toasts).toEqual([
      {
        type: AppEvents.alertError.name,
        payload: [
          'Test of “pg” failed',
          'the orchestrator (http://127.0.0.1:4001) refused the admin token (invalid, revoked or expired)',
        ],
      },
    ]);
  });

  it('disables Sync and Test for a Viewer and says why, on the page and on each button', async () => {
    kici.permissions = {
      canSync: false,
      canTest: false,
      minRole: 'Editor',
      disabledReason: 'Sync and Test need the Editor role',
    };
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByTestId(ids.disabledReason)).toHaveTextContent('Sync and Test need the Editor role');
    const cards = await screen.findAllByTestId(ids.card);
    for (const c of cards) {
      expect(within(c).getByTestId(ids.sync)).toBeDisabled();
      expect(within(c).getByTestId(ids.test)).toBeDisabled();
    }
    const wrapper = within(cards[0]).getByTestId(ids.sync).parentElement!;
    expect(wrapper).toHaveAttribute('data-disabled-reason', 'Sync and Test need the Editor role.');
    await user.hover(wrapper);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Sync and Test need the Editor role');

    await user.click(within(cards[0]).getByTestId(ids.sync));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls()).toEqual(['GET ']);
  });

  it('says what to configure when Sync and Test cannot reach the admin API', async () => {
    kici.permissions = {
      canSync: false,
      canTest: false,
      minRole: 'Editor',
      disabledReason: 'no admin token is configured (adminToken): Sync and Test go through the orchestrator admin API',
    };
    renderPage();
    expect(await screen.findByTestId(ids.disabledReason)).toHaveTextContent(
      'No admin token is configured (adminToken)'
    );
    expect(within(await card('pg')).getByTestId(ids.test)).toBeDisabled();
  });

  it('shows why the list could not be loaded', async () => {
    kici.failList = {
      status: 400,
      error:
        'secret backends are read from the orchestrator database (set pgHost, pgDatabase, pgUser) or, without it, from the admin API (set adminToken and orchestratorUrls)',
    };
    renderPage();
    expect(await screen.findByTestId(ids.error)).toHaveTextContent('set pgHost, pgDatabase, pgUser');
    expect(screen.queryByTestId(ids.card)).not.toBeInTheDocument();
  });

  it('reloads the list when the page is refreshed, every minute by default', async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findAllByTestId(ids.card);
    expect(
      screen.getByRole('button', { name: 'Choose refresh time interval with current interval 1 minute selected' })
    ).toBeInTheDocument();
    kici.backends = kici.backends.slice(0, 1);
    await user.click(screen.getByTestId('data-testid RefreshPicker run button'));
    await waitFor(() => expect(screen.getAllByTestId(ids.card)).toHaveLength(1));
    expect(calls()).toEqual(['GET ', 'GET ']);
  });

  it('says so when no backend is registered', async () => {
    kici.backends = [];
    renderPage();
    expect(await screen.findByTestId(ids.empty)).toHaveTextContent('No secret backends');
  });
});

import { asSentence } from '../../components/roles';
import { AppEvents, EventBusSrv } from '@grafana/data';
import { setAppEvents, setBackendSrv, setDataSourceSrv, setRunRequest } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { testIds } from '../../components/testIds';
import { DataSource } from '../../datasource/datasource';
import type { KiciAppSettings } from '../../datasource/query';
import { AtPath, dataSourceSrvStub, dsSettings } from '../../utils/testing';
import { dlqPage } from './dlqPage';
import { AUDITOR, AUDITOR_REASON, dlqEvent, EDITOR, FakeDlq } from './testing';

const KICI = dsSettings('kici', 'kici-ops-datasource', 'KiCI');
const EVENT = dlqEvent(7, {
  payload: { env: 'prod', release: { tag: 'v1.2.3' } },
  sourceRunId: 'run-42',
  lastError: `Error: lock file fetch failed\n    at fetchLock (lock.ts:12)\n${'x'.repeat(300)}`,
});

let dlq: FakeDlq;
let toasts: Array<{ type: string; payload: unknown[] }>;

beforeEach(() => {
  dlq = new FakeDlq([EVENT, dlqEvent(8)]);
  toasts = [];
  const bus = new EventBusSrv();
  for (const e of [AppEvents.alertSuccess, AppEvents.alertError]) {
    bus.subscribe({ type: e.name } as never, (event: { type: string; payload: unknown[] }) =>
      toasts.push({ type: event.type, payload: event.payload })
    );
  }
  setAppEvents(bus);
  setDataSourceSrv(dataSourceSrvStub([KICI], { kici: new DataSource(KICI as never) }));
  setRunRequest(dlq.runRequest);
  setBackendSrv(dlq.backendSrv('kici'));
});

function renderEvent(id: string, settings: KiciAppSettings = { lokiDatasourceUid: 'loki-1' }, search = '') {
  const app = new SceneApp({ pages: [dlqPage({ uid: 'kici', type: 'kici-ops-datasource' }, settings)] });
  render(
    <AtPath path={`/a/kici-ops-app/dlq/${id}${search}`}>
      <app.Component model={app} />
    </AtPath>
  );
}

describe('DLQ event page', () => {
  it('shows the payload, the full last error, the attempts and the source of one event', async () => {
    renderEvent(EVENT.id);
    const lastError = await screen.findByTestId(testIds.dlq.lastError);
    expect(lastError.textContent).toBe(EVENT.lastError);
    const detail = screen.getByTestId(testIds.dlq.detail);
    expect(detail).toHaveTextContent('deploy-complete');
    expect(detail).toHaveTextContent(EVENT.id);
    expect(detail).toHaveTextContent('exhausted_retries');
    expect(within(detail).getByText('Attempts').parentElement).toHaveTextContent('5');
    expect(within(detail).getByText('Routing key').parentElement).toHaveTextContent('github:42');
    expect(within(detail).getByText('Source run').parentElement).toHaveTextContent('run-42');
    const payload = screen.getByTestId(testIds.dlq.payload);
    await waitFor(() => expect(payload).toHaveTextContent('v1.2.3'));
    expect(payload).toHaveTextContent('release');
    // Nothing was read from the list side: the page asked for exactly this event.
    expect(dlq.calls.filter((c) => c.path.startsWith('dlq/0'))).toEqual([{ method: 'GET', path: `dlq/${EVENT.id}` }]);
  });

  it('links the Logs trace dashboard by eventId and runId, and Loki Explore with the exact LogQL', async () => {
    renderEvent(EVENT.id);
    await screen.findByTestId(testIds.dlq.lastError);
    const from = Date.parse(EVENT.createdAt!) - 5 * 60_000;
    const to = Date.parse(EVENT.dlqAt!) + 5 * 60_000;
    expect(screen.getByTestId(testIds.dlq.logsTraceLink)).toHaveAttribute(
      'href',
      `/d/kici-logs-trace?var-eventId=${EVENT.id}&from=${from}&to=${to}`
    );
    expect(screen.getByTestId(testIds.dlq.runTraceLink)).toHaveAttribute(
      'href',
      `/d/kici-logs-trace?var-runId=run-42&from=${from}&to=${to}`
    );
    const explore = new URL(screen.getByTestId(testIds.dlq.exploreLink).getAttribute('href')!, 'http://grafana');
    const pane = JSON.parse(explore.searchParams.get('panes')!).dlq;
    expect(pane.datasource).toBe('loki-1');
    expect(pane.queries[0].expr).toBe(`{service="orchestrator"} | json | eventId="${EVENT.id}"`);
    expect(pane.range).toEqual({ from: String(from), to: String(to) });
  });

  it('says what to configure instead of linking Explore without a Loki datasource, and why there is no run trace', async () => {
    renderEvent(dlqEvent(8).id, {});
    await screen.findByTestId(testIds.dlq.lastError);
    const explore = screen.getByTestId(testIds.dlq.exploreLink);
    expect(explore).not.toHaveAttribute('href');
    await userEvent.hover(explore.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Choose a Loki datasource on the app configuration page'
    );
    expect(screen.getByTestId(testIds.dlq.runTraceLink)).not.toHaveAttribute('href');
  });

  it('retries after confirmation, toasts the answer and then shows why the event is no longer in the DLQ', async () => {
    renderEvent(EVENT.id);
    await screen.findByTestId(testIds.dlq.lastError);
    await waitFor(() => expect(screen.getByTestId(testIds.dlq.retry)).toBeEnabled());
    await userEvent.click(screen.getByTestId(testIds.dlq.retry));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('attempts reset to 0 (now 5)');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));

    expect(await screen.findByTestId(testIds.dlq.detailError)).toHaveTextContent(
      `event ${EVENT.id} is not in the DLQ: it is waiting for dispatch (attempt 0)`
    );
    expect(dlq.mutations()).toEqual([{ method: 'POST', path: `dlq/${EVENT.id}/retry` }]);
    expect(toasts).toEqual([
      {
        type: AppEvents.alertSuccess.name,
        payload: [
          'Event retried',
          `event ${EVENT.id} is back in the queue (attempts reset to 0; the orchestrator re-dispatches it now)`,
        ],
      },
    ]);
    expect(screen.getByRole('link', { name: /Back to the DLQ/ })).toHaveAttribute('href', '/a/kici-ops-app/dlq');
  });

  it('discards only after the warning that it cannot be undone', async () => {
    renderEvent(EVENT.id);
    await screen.findByTestId(testIds.dlq.lastError);
    await waitFor(() => expect(screen.getByTestId(testIds.dlq.discard)).toBeEnabled());
    await userEvent.click(screen.getByTestId(testIds.dlq.discard));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('This cannot be undone');
    expect(within(dialog).getByRole('button', { name: 'Discard' })).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox'), EVENT.id.slice(0, 8));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Discard' }));
    await screen.findByTestId(testIds.dlq.detailError);
    expect(dlq.mutations()).toEqual([{ method: 'DELETE', path: `dlq/${EVENT.id}` }]);
    expect(dlq.events.map((e) => e.id)).toEqual([dlqEvent(8).id]);
  });

  it('links back to the list with the filters it was opened from', async () => {
    renderEvent(EVENT.id, {}, '?eventName=deploy-complete&dir=asc');
    await screen.findByTestId(testIds.dlq.lastError);
    expect(screen.getByRole('link', { name: /Back to the DLQ/ })).toHaveAttribute(
      'href',
      '/a/kici-ops-app/dlq?eventName=deploy-complete&dir=asc'
    );
  });

  it('shows the backend message for an unknown event', async () => {
    const id = '00000000-0000-4000-8000-999999999999';
    renderEvent(id);
    expect(await screen.findByTestId(testIds.dlq.detailError)).toHaveTextContent(
      `event ${id} not found: it is not in kici_events (discarded, or expired after its TTL)`
    );
    expect(screen.queryByTestId(testIds.dlq.retry)).not.toBeInTheDocument();
  });

  it('disables Retry and Discard with the reason for an auditor token', async () => {
    dlq.permissions = AUDITOR;
    renderEvent(EVENT.id);
    await screen.findByTestId(testIds.dlq.lastError);
    await waitFor(() =>
      expect(screen.getByTestId(testIds.dlq.retry).parentElement).toHaveAttribute(
        'data-disabled-reason',
        asSentence(AUDITOR_REASON)
      )
    );
    expect(screen.getByTestId(testIds.dlq.retry)).toBeDisabled();
    expect(screen.getByTestId(testIds.dlq.discard)).toBeDisabled();
    await userEvent.hover(screen.getByTestId(testIds.dlq.discard).parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(asSentence(AUDITOR_REASON));
  });

  it('lets an Editor retry but not discard', async () => {
    dlq.permissions = EDITOR;
    renderEvent(EVENT.id);
    await screen.findByTestId(testIds.dlq.lastError);
    await waitFor(() => expect(screen.getByTestId(testIds.dlq.retry)).toBeEnabled());
    expect(screen.getByTestId(testIds.dlq.discard)).toBeDisabled();
    expect(screen.getByTestId(testIds.dlq.discard).parentElement).toHaveAttribute(
      'data-disabled-reason',
      'Discard needs the Admin role in Grafana; you have the Editor role.'
    );
  });
});

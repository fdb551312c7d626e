// The signatures view on the DLQ page: a signature's "Retry all" starts the page's paced redrive of that signature's
// events (rate dialog, then the redrive panel in the signatures view), not the unpaced bulk retry; discard stays.
import { EventBusSrv } from '@grafana/data';
import { locationService, setAppEvents, setBackendSrv, setDataSourceSrv, setRunRequest } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { testIds } from '../../../components/testIds';
import { DataSource } from '../../../datasource/datasource';
import { AtPath, dataSourceSrvStub, dsSettings } from '../../../utils/testing';
import { dlqPage } from '../dlqPage';
import { dlqEvent, FakeDlq } from '../testing';
import { SIGNATURE_TEST_IDS } from './testIds';

const KICI = dsSettings('kici', 'kici-ops-datasource', 'KiCI');
const SIG = 'Error: lock file fetch failed (<n>)';
let dlq: FakeDlq;

beforeEach(() => {
  dlq = new FakeDlq([dlqEvent(1), dlqEvent(2), dlqEvent(3, { lastError: 'TimeoutError: deploy hook' })]);
  dlq.signatures = [
    { id: '0a1b2c3d', signature: SIG, ids: [dlqEvent(1).id, dlqEvent(2).id] },
    { id: '9e8d7c6b', signature: 'TimeoutError: deploy hook', ids: [dlqEvent(3).id] },
  ];
  setAppEvents(new EventBusSrv());
  setDataSourceSrv(dataSourceSrvStub([KICI], { kici: new DataSource(KICI as never) }));
  setRunRequest(dlq.runRequest);
  setBackendSrv(dlq.backendSrv('kici'));
});

function renderPage(path = '/a/kici-ops-app/dlq') {
  const app = new SceneApp({ pages: [dlqPage({ uid: 'kici', type: 'kici-ops-datasource' }, {})] });
  render(
    <AtPath path={path}>
      <app.Component model={app} />
    </AtPath>
  );
}

const rowIds = () => screen.queryAllByTestId(testIds.dlq.row).map((r) => r.getAttribute('data-event-id'));

/** Renders the page and opens one signature's events in the signatures view. */
async function openSignature(signature: string): Promise<HTMLElement> {
  renderPage();
  await waitFor(() => expect(rowIds()).toHaveLength(3));
  const row = await waitFor(() => {
    const r = screen.getAllByTestId(SIGNATURE_TEST_IDS.row).find((x) => x.getAttribute('data-signature') === signature);
    expect(r).toBeDefined();
    return r as HTMLElement;
  });
  await userEvent.click(within(row).getByRole('button', { name: 'Show events' }));
  return screen.findByTestId(SIGNATURE_TEST_IDS.events);
}

it('Retry all of a signature asks for a rate and starts a redrive of that signature, whose panel shows here', async () => {
  const events = await openSignature(SIG);
  await waitFor(() => expect(within(events).getByRole('button', { name: 'Retry all 2' })).toBeEnabled());
  await userEvent.click(within(events).getByRole('button', { name: 'Retry all 2' }));

  const dialog = await screen.findByRole('dialog');
  expect(dialog).toHaveTextContent('Retry the 2 event(s) of this signature at a controlled rate?');
  expect(dialog).toHaveTextContent(
    `2 event(s) matching the error signature “${SIG}” go back to the queue, oldest first`
  );
  const rate = within(dialog).getByTestId(testIds.redrive.rate);
  expect(rate).toHaveValue(10);
  await userEvent.clear(rate);
  await userEvent.type(rate, '501');
  expect(within(dialog).getByRole('button', { name: 'Retry 2' })).toBeDisabled();
  await userEvent.clear(rate);
  await userEvent.type(rate, '3');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Retry 2' }));

  expect(dlq.mutations()).toEqual([
    {
      method: 'POST',
      path: 'dlq/redrive',
      data: { filter: {}, signatureId: '0a1b2c3d', rate: 3, description: `the error signature “${SIG}”` },
    },
  ]);
  // One panel on the page, in the signatures view, naming the signature.
  const view = screen.getByTestId(SIGNATURE_TEST_IDS.view);
  const panel = await within(view).findByTestId(testIds.redrive.panel);
  expect(screen.getAllByTestId(testIds.redrive.panel)).toHaveLength(1);
  await waitFor(() => expect(panel).toHaveAttribute('data-state', 'completed'), { timeout: 5000 });
  expect(within(panel).getByTestId(testIds.redrive.summary)).toHaveTextContent(
    `signature “${SIG}” at 3 events/s, started by admin at`
  );
  expect(within(panel).getByTestId(testIds.redrive.counts)).toHaveTextContent(
    '2 retried · 0 failed · 0 not tried (still in the DLQ) of 2'
  );
  // Only the signature's events left the DLQ.
  await waitFor(() => expect(rowIds()).toEqual([dlqEvent(3).id]));
  expect(dlq.mutations().filter((c) => c.path === 'dlq/retry')).toEqual([]);
});

it('Discard all of a signature needs the count typed, discards each event and reports each outcome', async () => {
  const events = await openSignature(SIG);
  await waitFor(() => expect(within(events).getByRole('button', { name: 'Discard all 2' })).toBeEnabled());
  await userEvent.click(within(events).getByRole('button', { name: 'Discard all 2' }));

  const dialog = await screen.findByRole('dialog');
  expect(dialog).toHaveTextContent(
    `Discard 2 events with the error signature “${SIG}”? They are deleted from kici_events. This cannot be undone.`
  );
  const confirm = within(dialog).getByRole('button', { name: 'Discard 2 events' });
  expect(confirm).toBeDisabled();
  await userEvent.type(within(dialog).getByTestId(testIds.dlq.typedConfirmation), '2');
  expect(confirm).toBeEnabled();
  await userEvent.click(confirm);

  const results = await screen.findByTestId(SIGNATURE_TEST_IDS.results);
  expect(within(results).getByRole('heading')).toHaveTextContent(`Discard of “${SIG}”: 2 of 2 succeeded`);
  expect(
    within(results)
      .getAllByTestId(SIGNATURE_TEST_IDS.result)
      .map((r) => [r.getAttribute('data-id'), r.getAttribute('data-outcome')])
  ).toEqual([
    [dlqEvent(1).id, 'discarded'],
    [dlqEvent(2).id, 'discarded'],
  ]);
  expect(dlq.mutations().map((c) => [c.method, c.path])).toEqual([
    ['DELETE', `dlq/${dlqEvent(1).id}`],
    ['DELETE', `dlq/${dlqEvent(2).id}`],
  ]);
  await waitFor(() => expect(rowIds()).toEqual([dlqEvent(3).id]));
});

// Under a loaded machine a scene re-query can take more than the default second.
const SLOW = { timeout: 10_000 };

describe('the event list filtered by a signature', () => {
  const chip = () => screen.queryByTestId(testIds.dlq.signatureFilter);

  it('"Show in the event list" filters the triage list to exactly that signature, as a removable filter in the URL', async () => {
    const events = await openSignature(SIG);
    await userEvent.click(await within(events).findByTestId(SIGNATURE_TEST_IDS.showInList, undefined, SLOW));
    await waitFor(() => expect(rowIds()).toEqual([dlqEvent(2).id, dlqEvent(1).id]), SLOW);
    expect(locationService.getSearchObject()).toEqual({ signature: '0a1b2c3d' });
    expect(dlq.lastEventsQuery()).toMatchObject({ queryType: 'dlqEvents', signature: '0a1b2c3d' });
    expect(chip()).toHaveTextContent(`Error signature${SIG}`);
    await userEvent.click(screen.getByRole('button', { name: 'Remove the error signature filter' }));
    await waitFor(() => expect(rowIds()).toHaveLength(3), SLOW);
    expect(chip()).toBeNull();
    expect(locationService.getSearchObject()).toEqual({});
    expect(dlq.lastEventsQuery()).not.toHaveProperty('signature');
  });

  it('comes back from the URL (a reload or a shared link), and its bulk retry redrives that signature', async () => {
    renderPage('/a/kici-ops-app/dlq?signature=9e8d7c6b');
    await waitFor(() => expect(rowIds()).toEqual([dlqEvent(3).id]), SLOW);
    expect(chip()).toHaveTextContent('Error signatureTimeoutError: deploy hook');
    await userEvent.click(screen.getByTestId(testIds.dlq.bulkRetry));
    const dialog = await screen.findByRole('dialog', undefined, SLOW);
    expect(dialog).toHaveTextContent('Retry 1 DLQ event(s) at a controlled rate?');
    expect(dialog).toHaveTextContent('error signature “TimeoutError: deploy hook”');
    // Filtered and small: no count to type.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Retry 1' }));
    await waitFor(
      () =>
        expect(dlq.calls.filter((c) => c.path === 'dlq/redrive' && c.method === 'POST').map((c) => c.data)).toEqual([
          {
            filter: {},
            signatureId: '9e8d7c6b',
            rate: 10,
            description: 'error signature “TimeoutError: deploy hook”',
          },
        ]),
      SLOW
    );
  });
});

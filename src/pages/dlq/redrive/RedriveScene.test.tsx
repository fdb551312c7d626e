import { EventBusSrv } from '@grafana/data';
import { setAppEvents, setBackendSrv } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { testIds } from '../../../components/testIds';
import { ADMIN, dlqEvent, FakeDlq } from '../testing';
import { RedriveScene } from './RedriveScene';

const R = testIds.redrive;
let dlq: FakeDlq;

function running(): NonNullable<FakeDlq['redrive']> {
  return {
    id: '6f1c9a52-0000-4000-8000-00000000abcd',
    state: 'running',
    rate: 5,
    filter: { routingKey: 'github:77' },
    description: 'routing key = github:77',
    signatureId: null,
    matching: 40,
    total: 40,
    retried: 12,
    failed: 1,
    remaining: 27,
    startedBy: 'eddie',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    owner: 'grafana-2:77:abcd1234',
    heartbeatAt: '2026-01-01T00:00:03.000Z',
    cancelRequestedBy: null,
    reason: null,
    failuresByOutcome: [{ outcome: 'not_found', count: 1 }],
    failures: [{ id: dlqEvent(1).id, outcome: 'not_found', message: `event ${dlqEvent(1).id} is not in the DLQ` }],
    ids: [],
  };
}

beforeEach(() => {
  dlq = new FakeDlq([dlqEvent(1)]);
  dlq.redrive = running();
  dlq.redriveCompletesOnPoll = false;
  setAppEvents(new EventBusSrv());
  setBackendSrv(dlq.backendSrv('kici'));
});

function show(role?: string) {
  const scene = new RedriveScene('kici');
  scene.setState({ role });
  render(<scene.Component model={scene} />);
  return scene;
}

it('shows a redrive another page view (or replica) started: progress, who, rate, failures', async () => {
  show('Admin');
  const panel = await screen.findByTestId(R.panel);
  expect(panel).toHaveAttribute('data-state', 'running');
  expect(screen.getByText('Redrive running')).toBeInTheDocument();
  expect(screen.getByTestId(R.counts)).toHaveTextContent('12 retried · 1 failed · 27 remaining of 40');
  expect(screen.getByTestId(R.summary)).toHaveTextContent(
    /^routing key = github:77 at 5 events\/s, started by eddie at /
  );
  expect(screen.getByTestId(R.failures)).toHaveTextContent(
    `Failed: 1 not found.event ${dlqEvent(1).id} is not in the DLQ`
  );
  expect(screen.getByRole('progressbar', { name: 'Redrive progress' })).toHaveAttribute('aria-valuenow', '33');
});

it('a Viewer sees the cancel button disabled with the reason', async () => {
  show('Viewer');
  const cancel = await screen.findByTestId(R.cancel);
  expect(cancel).toBeDisabled();
  expect(cancel.parentElement).toHaveAttribute(
    'data-disabled-reason',
    'Cancel needs the Editor role in Grafana; you have the Viewer role.'
  );
});

it('cancel asks first, then the report says who cancelled and what stayed', async () => {
  dlq.permissions = ADMIN;
  show('Admin');
  await userEvent.click(await screen.findByTestId(R.cancel));
  const dialog = await screen.findByRole('dialog');
  expect(dialog).toHaveTextContent(
    '13 of 40 event(s) were tried; those retried stay retried. The 27 not tried yet stay in the DLQ.'
  );
  expect(dlq.mutations()).toEqual([]);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel redrive' }));
  await waitFor(() => expect(screen.getByTestId(R.panel)).toHaveAttribute('data-state', 'cancelled'));
  expect(dlq.mutations()).toEqual([{ method: 'POST', path: `dlq/redrive/${running().id}/cancel`, data: undefined }]);
  expect(screen.getByTestId(R.report)).toHaveTextContent(
    /^Cancelled by admin at .+: the 12 retried event\(s\) stay retried; 27 were not tried and are still in the DLQ\.$/
  );
});

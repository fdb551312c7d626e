import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import type { DataSource } from './datasource';
import type { KiciQuery } from './query';
import { QueryEditor } from './QueryEditor';

function setup(initial: KiciQuery) {
  const changes: KiciQuery[] = [];
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={{} as DataSource}
        query={query}
        onRunQuery={onRunQuery}
        onChange={(next) => {
          changes.push(next);
          setQuery(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { changes, last: () => changes[changes.length - 1], onRunQuery, user: userEvent.setup() };
}

describe('QueryEditor', () => {
  afterEach(() => jest.restoreAllMocks());

  it('shows the type label and no options for the health matrix', () => {
    setup({ refId: 'A', queryType: 'health' });
    expect(screen.getByRole('combobox', { name: 'Query type' })).toHaveValue('Health matrix');
    expect(screen.queryByLabelText('Routing key')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
  });

  it('treats a query without a type as the default type', () => {
    setup({ refId: 'A' });
    expect(screen.getByRole('combobox', { name: 'Query type' })).toHaveValue('Health matrix');
  });

  it('switches the query type from the list, with descriptions, and runs the query', async () => {
    // The option list is virtualised: give its scroll container a size (jsdom lays nothing out).
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
    const { user, last, onRunQuery } = setup({ refId: 'A', queryType: 'health' });
    await user.click(screen.getByRole('combobox', { name: 'Query type' }));
    expect(
      await screen.findByText(
        'Number of events in the dead-letter queue (suitable for alerting), or admissions over time'
      )
    ).toBeInTheDocument();
    await user.click(screen.getByRole('option', { name: /^DLQ events/ }));
    expect(last()).toEqual({ refId: 'A', queryType: 'dlqEvents' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText('Routing key')).toBeInTheDocument();
    expect(screen.getByLabelText('Error contains')).toBeInTheDocument();
  });

  it('edits the DLQ filters, sort and limit, running on blur rather than per keystroke', async () => {
    const { user, last, onRunQuery } = setup({ refId: 'A', queryType: 'dlqEvents' });
    await user.type(screen.getByLabelText('Routing key'), 'github:42');
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.tab();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    await user.type(screen.getByLabelText('Limit'), '25');
    await user.click(screen.getByRole('radio', { name: /Oldest first/ }));
    expect(last()).toEqual({
      refId: 'A',
      queryType: 'dlqEvents',
      routingKey: 'github:42',
      limit: 25,
      sortDirection: 'asc',
    });
    // Admission time is the one order offered: no other sort to pick.
    expect(screen.queryByRole('radio', { name: 'Attempts' })).toBeNull();
  });

  it('says a saved sort is no longer offered and clears it on request', async () => {
    const { user, last } = setup({ refId: 'A', queryType: 'dlqEvents', sort: 'attempts', sortDirection: 'asc' });
    expect(screen.getByText('Sorting by attempts is no longer offered.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sort by time in the DLQ' }));
    expect(last()).toEqual({ refId: 'A', queryType: 'dlqEvents', sortDirection: 'asc' });
    expect(screen.queryByText('Sorting by attempts is no longer offered.')).toBeNull();
  });

  it('asks DLQ depth for admissions over time', async () => {
    const { user, last } = setup({ refId: 'A', queryType: 'dlqDepth' });
    await user.click(screen.getByLabelText('Over time'));
    expect(last()).toEqual({ refId: 'A', queryType: 'dlqDepth', series: true });
  });

  it('picks the event delivery frames, both by default', async () => {
    const { user, last } = setup({ refId: 'A', queryType: 'eventDelivery' });
    expect(screen.getByRole('radio', { name: 'Both' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Leases' }));
    expect(last()).toEqual({ refId: 'A', queryType: 'eventDelivery', section: 'leases' });
    await user.click(screen.getByRole('radio', { name: 'Both' }));
    expect(last().section).toBeUndefined();
  });

  it('toggles the execution metrics switches', async () => {
    const { user, last } = setup({ refId: 'A', queryType: 'executionMetrics' });
    expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Exclude test runs'));
    await user.click(screen.getByLabelText('Use time range'));
    expect(last()).toEqual({ refId: 'A', queryType: 'executionMetrics', excludeTestRuns: true, useTimeRange: true });
  });
});

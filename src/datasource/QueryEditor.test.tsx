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
  it('shows the type label and no options for the health matrix', () => {
    setup({ refId: 'A', queryType: 'health' });
    expect(screen.getByText('Health matrix')).toBeInTheDocument();
    expect(screen.queryByLabelText('Routing key')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
  });

  it('treats a query without a type as the default type', () => {
    setup({ refId: 'A' });
    expect(screen.getByText('Health matrix')).toBeInTheDocument();
  });

  it('switches the query type from the list, with descriptions, and runs the query', async () => {
    const { user, last, onRunQuery } = setup({ refId: 'A', queryType: 'health' });
    await user.click(screen.getByLabelText('Query type'));
    expect(screen.getByText('Number of events in the dead-letter queue (suitable for alerting)')).toBeInTheDocument();
    await user.click(screen.getByText('DLQ events'));
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
    await user.click(screen.getByRole('radio', { name: 'Attempts' }));
    await user.click(screen.getByRole('radio', { name: /Oldest first/ }));
    expect(last()).toEqual({
      refId: 'A',
      queryType: 'dlqEvents',
      routingKey: 'github:42',
      limit: 25,
      sort: 'attempts',
      sortDirection: 'asc',
    });
  });

  it('toggles the execution metrics switches', async () => {
    const { user, last } = setup({ refId: 'A', queryType: 'executionMetrics' });
    expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Exclude test runs'));
    await user.click(screen.getByLabelText('Use time range'));
    expect(last()).toEqual({ refId: 'A', queryType: 'executionMetrics', excludeTestRuns: true, useTimeRange: true });
  });
});

import { createDataFrame, FieldType } from '@grafana/data';

import { configureExploreLink, type ExploreToolbarContext } from './explore';

const REQ = '0b9c7f3e-5d1a-4c2b-9f00-1a2b3c4d5e6f';
const RUN = '7e57c0de-0000-4abc-8def-123456789abc';
const loki = { type: 'loki', uid: 'loki' };

const lines = (...values: string[]) =>
  createDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => 1_764_900_000_000 - i) },
      { name: 'Line', type: FieldType.string, values },
    ],
  });

describe('Explore toolbar link', () => {
  it('traces the ids a Loki query names, with the pane time range', () => {
    const context: ExploreToolbarContext = {
      exploreId: 'left',
      targets: [{ refId: 'A', datasource: loki, expr: `{service="orchestrator"} | json | requestId="${REQ}"` }],
      timeRange: { from: 'now-1h', to: 'now' },
    };
    expect(configureExploreLink(context)).toEqual({
      path: `/a/kici-ops-app/traces?id=requestId%3D${REQ}&from=now-1h&to=now`,
      description: `Trace requestId=${REQ} (from the query) on the KiCI Traces page`,
    });
  });

  it('takes a bare UUID in a line filter as any id', () => {
    const context: ExploreToolbarContext = {
      targets: [{ refId: 'A', datasource: loki, expr: `{service=~".+"} |= "${RUN.toUpperCase()}"` }],
    };
    expect(configureExploreLink(context)?.path).toBe(`/a/kici-ops-app/traces?id=${RUN}`);
  });

  it('falls back to the newest log line naming an id', () => {
    const context: ExploreToolbarContext = {
      targets: [{ refId: 'A', datasource: loki, expr: '{service="agent"}' }],
      data: {
        series: [
          lines(
            '{"level":"info","message":"heartbeat","agentId":"a-1"}',
            `{"level":"info","message":"Job dispatched","runId":"${RUN}","requestId":"${REQ}"}`,
            `{"level":"info","message":"older","runId":"11111111-2222-4333-8444-555555555555"}`
          ),
        ],
      },
    };
    expect(configureExploreLink(context)?.path).toBe(`/a/kici-ops-app/traces?id=runId%3D${RUN}+requestId%3D${REQ}`);
  });

  it('shows nothing without a Loki query or without an id', () => {
    expect(
      configureExploreLink({ targets: [{ refId: 'A', datasource: { type: 'prometheus' }, expr: `x{id="${REQ}"}` }] })
    ).toBeUndefined();
    expect(
      configureExploreLink({
        targets: [{ refId: 'A', datasource: loki, expr: '{service="agent"}' }],
        data: { series: [lines('{"message":"no ids here"}', `plain text mentioning ${REQ}`)] },
      })
    ).toBeUndefined();
    expect(configureExploreLink(undefined)).toBeUndefined();
  });
});

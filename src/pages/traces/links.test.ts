import {
  CALLER_REQUEST_ID,
  DELIVERY_ID,
  GENERIC_DELIVERY_ID,
  GENERIC_PIPELINE_REQUEST_ID,
  GENERIC_ROWS,
  lokiLogFrame,
  REQUEST_ID,
  RUN_ID,
  TRACE_ROWS,
} from './fixtures';
import { dashboardVariables, exploreUrl, logsTraceDashboardUrl, tracesPageUrl, urlTimeRange } from './links';
import { traceLinesFromFrames } from './traceLines';
import { lokiTraceQuery } from './traceQuery';

const lines = traceLinesFromFrames([lokiLogFrame(TRACE_ROWS)]);

describe('dashboardVariables', () => {
  it('fills the variable of a known kind', () => {
    expect(dashboardVariables([{ kind: 'runId', value: RUN_ID }], [])).toEqual({ runId: RUN_ID });
  });

  it('fills the fields an "any" id was found in, or every variable when nothing was found', () => {
    expect(dashboardVariables([{ kind: 'any', value: RUN_ID }], lines)).toEqual({ runId: RUN_ID });
    expect(dashboardVariables([{ kind: 'any', value: 'x' }], [])).toEqual({
      requestId: 'x',
      runId: 'x',
      jobId: 'x',
      eventId: 'x',
    });
  });

  it('turns a delivery id (no dashboard variable) into the requestId of the lines carrying it', () => {
    expect(dashboardVariables([{ kind: 'deliveryId', value: DELIVERY_ID }], lines)).toEqual({ requestId: REQUEST_ID });
    expect(dashboardVariables([{ kind: 'any', value: DELIVERY_ID }], lines)).toEqual({ requestId: REQUEST_ID });
    expect(dashboardVariables([{ kind: 'deliveryId', value: DELIVERY_ID }], [])).toEqual({});
  });

  it("follows a generic webhook's deliveryId, whole or by its uuid part, to the pipeline's requestId", () => {
    const generic = traceLinesFromFrames([lokiLogFrame(GENERIC_ROWS)]);
    expect(dashboardVariables([{ kind: 'deliveryId', value: GENERIC_DELIVERY_ID }], generic)).toEqual({
      requestId: GENERIC_PIPELINE_REQUEST_ID,
    });
    expect(dashboardVariables([{ kind: 'deliveryId', value: CALLER_REQUEST_ID }], generic)).toEqual({
      requestId: GENERIC_PIPELINE_REQUEST_ID,
    });
    // An X-Request-ID (kind any) is the requestId of `Request completed` and the uuid part of the deliveryId.
    expect(dashboardVariables([{ kind: 'any', value: CALLER_REQUEST_ID }], generic)).toEqual({
      requestId: CALLER_REQUEST_ID,
    });
  });

  it('keeps the first value per variable', () => {
    expect(
      dashboardVariables(
        [
          { kind: 'runId', value: 'one' },
          { kind: 'runId', value: 'two' },
        ],
        []
      )
    ).toEqual({ runId: 'one' });
  });
});

describe('urls', () => {
  const range = { from: 'now-24h', to: 'now' };

  it('opens the Logs trace dashboard with its Loki and id variables and the time range', () => {
    const url = new URL(logsTraceDashboardUrl({ requestId: REQUEST_ID, runId: RUN_ID }, 'loki', range), 'http://g');
    expect(url.pathname).toBe('/d/kici-logs-trace');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'var-loki': 'loki',
      'var-requestId': REQUEST_ID,
      'var-runId': RUN_ID,
      from: 'now-24h',
      to: 'now',
    });
  });

  it('opens Explore with the exact query on the Loki datasource', () => {
    const query = lokiTraceQuery([{ kind: 'any', value: REQUEST_ID }]);
    const url = new URL(exploreUrl(query, 'loki-uid', range), 'http://g');
    expect(url.pathname).toBe('/explore');
    expect(url.searchParams.get('schemaVersion')).toBe('1');
    const panes = JSON.parse(url.searchParams.get('panes')!);
    expect(panes).toEqual({
      kici: {
        datasource: 'loki-uid',
        queries: [{ ...query, refId: 'A', datasource: { type: 'loki', uid: 'loki-uid' } }],
        range: { from: 'now-24h', to: 'now' },
      },
    });
  });

  it('writes absolute times as epoch milliseconds', () => {
    expect(urlTimeRange({ from: new Date(1000), to: 'now' })).toEqual({ from: '1000', to: 'now' });
  });

  it('links to the Traces page with the id, its kind and the time range', () => {
    expect(tracesPageUrl(RUN_ID)).toBe(`/a/kici-ops-app/traces?id=${RUN_ID}`);
    expect(tracesPageUrl(RUN_ID, 'eventId', { from: '1000', to: '2000' })).toBe(
      `/a/kici-ops-app/traces?id=${RUN_ID}&kind=eventId&from=1000&to=2000`
    );
  });
});

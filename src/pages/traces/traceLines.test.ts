import { FieldType, toDataFrame } from '@grafana/data';

import { CALLER_REQUEST_ID, DELIVERY_ID, GENERIC_ROWS, lokiLogFrame, REQUEST_ID, RUN_ID, TRACE_ROWS } from './fixtures';
import { groupByTier, isErrorLine, matchedKinds, relatedIds, traceLinesFromFrames } from './traceLines';

describe('traceLinesFromFrames', () => {
  it("orders lines across streams by KiCI's own timestamp and reads the tier from the JSON service", () => {
    const lines = traceLinesFromFrames([lokiLogFrame(TRACE_ROWS)]);
    expect(lines.map((l) => [l.message, l.tier, l.level])).toEqual([
      ['Webhook relay stream started', 'orchestrator', 'info'],
      ['Job dispatched', 'orchestrator', 'info'],
      [`Run: ${RUN_ID} | Trace: ${REQUEST_ID}`, 'agent', 'info'],
      [`Run: ${RUN_ID} | Trace: ${REQUEST_ID}`, 'agent', 'info'],
      ['Job execution error', 'agent', 'error'],
    ]);
    expect(lines[0].timeMs).toBe(Date.parse('2026-11-24T06:00:00.000Z'));
    expect(lines[0].fields.deliveryId).toBe(DELIVERY_ID);
  });

  it("marks agent lines forwarded through an orchestrator's stream, not the agent's own", () => {
    const lines = traceLinesFromFrames([lokiLogFrame(TRACE_ROWS)]);
    expect(lines.map((l) => [l.stream, l.forwarded])).toEqual([
      ['orchestrator', false],
      ['orchestrator', false],
      ['agent', false],
      ['orchestrator', true],
      ['agent', false],
    ]);
  });

  it('keeps non-JSON lines as text in tier "other", and breaks timestamp ties by Loki nanoseconds', () => {
    const frame = lokiLogFrame([
      { stream: { service: 'orchestrator' }, line: 'panic: boom', lokiMs: 2000 },
      {
        stream: { service: 'orchestrator' },
        line: { level: 'warn', message: 'second', service: 'orchestrator', timestamp: '1970-01-01T00:00:01.000Z' },
        lokiMs: 1000,
      },
    ]);
    frame.fields.find((f) => f.name === 'tsNs')!.values[1] = '1000000001';
    const first = {
      stream: { service: 'orchestrator' },
      line: { level: 'info', message: 'first', service: 'orchestrator', timestamp: '1970-01-01T00:00:01.000Z' },
      lokiMs: 1000,
    };
    const lines = traceLinesFromFrames([frame, lokiLogFrame([first])]);
    expect(lines.map((l) => [l.message, l.tier, l.level])).toEqual([
      ['first', 'orchestrator', 'info'],
      ['second', 'orchestrator', 'warn'],
      ['panic: boom', 'other', ''],
    ]);
  });

  it("reads dataplane frames (timestamp/body) and falls back to Loki's parsed labels", () => {
    const frame = toDataFrame({
      fields: [
        {
          name: 'labels',
          type: FieldType.other,
          values: [{ kici_service: 'platform', kici_level: 'error', kici_message: 'x' }],
        },
        { name: 'timestamp', type: FieldType.time, values: [5000] },
        { name: 'body', type: FieldType.string, values: ['not json'] },
      ],
    });
    expect(traceLinesFromFrames([frame])).toMatchObject([
      { tier: 'platform', level: 'error', message: 'x', timeMs: 5000, raw: 'not json' },
    ]);
    expect(
      traceLinesFromFrames([toDataFrame({ fields: [{ name: 'n', type: FieldType.number, values: [1] }] })])
    ).toEqual([]);
  });
});

describe('what the lines say', () => {
  const lines = traceLinesFromFrames([lokiLogFrame(TRACE_ROWS)]);

  it('groups by tier in pipeline order with error counts', () => {
    expect(groupByTier(lines).map((g) => [g.tier, g.lines.length, g.errors])).toEqual([
      ['orchestrator', 2, 0],
      ['agent', 3, 1],
    ]);
    expect(lines.filter(isErrorLine).map((l) => l.message)).toEqual(['Job execution error']);
  });

  it('tells which fields carried each id searched', () => {
    const found = matchedKinds(lines, [
      { kind: 'any', value: REQUEST_ID },
      { kind: 'any', value: DELIVERY_ID },
      { kind: 'any', value: 'nowhere' },
    ]);
    expect(found.get(REQUEST_ID)).toEqual(['requestId']);
    expect(found.get(DELIVERY_ID)).toEqual(['deliveryId']);
    expect(found.get('nowhere')).toEqual([]);
  });

  it("says a uuid was found in a generic webhook's <routing_key>:<uuid> deliveryId and in Request completed", () => {
    const generic = traceLinesFromFrames([lokiLogFrame(GENERIC_ROWS)]);
    expect(matchedKinds(generic, [{ kind: 'any', value: CALLER_REQUEST_ID }]).get(CALLER_REQUEST_ID)).toEqual([
      'requestId',
      'deliveryId',
    ]);
  });

  it('offers the other ids to follow, never jobId, most frequent first within a kind', () => {
    expect(relatedIds(lines, [{ kind: 'any', value: DELIVERY_ID }])).toEqual([
      { kind: 'requestId', value: REQUEST_ID, lines: 5 },
      { kind: 'runId', value: RUN_ID, lines: 4 },
    ]);
    expect(relatedIds(lines, [{ kind: 'requestId', value: REQUEST_ID }])).toEqual([
      { kind: 'runId', value: RUN_ID, lines: 4 },
      { kind: 'deliveryId', value: DELIVERY_ID, lines: 1 },
    ]);
  });
});

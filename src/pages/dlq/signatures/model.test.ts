import { createDataFrame, FieldType } from '@grafana/data';

import { DlqResourceError } from '../api';
import { confirmText, RETRY_BATCH, runBulk, signatureRows, sparklinePoints } from './model';

describe('signatures view model', () => {
  it('reads the dlqSignatures frame', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'signature', type: FieldType.string, values: ['connect ECONNREFUSED <host>'] },
        { name: 'count', type: FieldType.number, values: [5] },
        { name: 'firstAt', type: FieldType.time, values: [1000] },
        { name: 'lastAt', type: FieldType.time, values: [2000] },
        { name: 'eventNames', type: FieldType.string, values: ['a, b'] },
        { name: 'routingKeys', type: FieldType.string, values: ['github:1'] },
        { name: 'sampleError', type: FieldType.string, values: ['connect ECONNREFUSED 10.0.0.2:443'] },
        { name: 'sampleEventId', type: FieldType.string, values: ['e2'] },
        { name: 'signatureId', type: FieldType.string, values: ['0a1b2c3d'] },
        { name: 'admissions', type: FieldType.string, values: ['[1,0,2]'] },
      ],
    });
    expect(signatureRows(frame)).toEqual([
      {
        id: '0a1b2c3d',
        signature: 'connect ECONNREFUSED <host>',
        count: 5,
        firstAt: 1000,
        lastAt: 2000,
        eventNames: 'a, b',
        routingKeys: 'github:1',
        sampleError: 'connect ECONNREFUSED 10.0.0.2:443',
        sampleEventId: 'e2',
        admissions: [1, 0, 2],
      },
    ]);
    expect(signatureRows(undefined)).toEqual([]);
  });

  it('draws the sparkline scaled to its highest bin', () => {
    expect(sparklinePoints([0, 2, 1], 100, 10)).toBe('0,10 50,0 100,5');
    expect(sparklinePoints([0, 0], 10, 10)).toBe('0,10 10,10');
  });

  it('states the count in the confirmation', () => {
    expect(confirmText('discard', 30, 'x <n>')).toBe(
      'Discard 30 events with the error signature “x <n>”? They are deleted from kici_events. This cannot be undone.'
    );
    expect(confirmText('retry', 1, 'y')).toMatch(/^Retry 1 event with/);
  });

  it('retries in batches of 100 through the bulk retry and reports each event', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `id-${i}`);
    const batches: string[][] = [];
    const outcomes = await runBulk(
      {
        bulkRetry: async ({ ids: batch }) => {
          batches.push(batch);
          return {
            requested: batch.length,
            succeeded: batch.length - 1,
            failed: 1,
            skipped: 0,
            stoppedReason: null,
            results: batch.map((id, i) => ({
              id,
              ok: i > 0,
              status: i > 0 ? 200 : 404,
              outcome: i > 0 ? 'retried' : 'not_found',
              message: i > 0 ? 'ok' : 'gone',
            })),
          };
        },
        discard: async () => {
          throw new Error('not used');
        },
      },
      'retry',
      ids
    );
    expect(batches.map((b) => b.length)).toEqual([RETRY_BATCH, 50]);
    expect(outcomes).toHaveLength(150);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.id)).toEqual(['id-0', 'id-100']);
  });

  it('discards one by one and stops at a role refusal, marking the rest refused', async () => {
    const calls: string[] = [];
    const outcomes = await runBulk(
      {
        bulkRetry: async () => {
          throw new Error('not used');
        },
        discard: async (id) => {
          calls.push(id);
          if (id === 'b') {
            throw new DlqResourceError('discard needs the Admin role (you are Editor)', 403);
          }
          return {
            id,
            action: 'discard',
            outcome: 'discarded',
            message: `event ${id} was discarded`,
            orchestrator: null,
          };
        },
      },
      'discard',
      ['a', 'b', 'c']
    );
    expect(calls).toEqual(['a', 'b']);
    expect(outcomes.map((o) => [o.id, o.outcome])).toEqual([
      ['a', 'discarded'],
      ['b', 'refused'],
      ['c', 'refused'],
    ]);
  });
});

import { createDataFrame, FieldType } from '@grafana/data';

import { DlqResourceError } from '../api';
import { discardAll, discardConfirmText, signatureRows, sparklinePoints } from './model';

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
    expect(discardConfirmText(30, 'x <n>')).toBe(
      'Discard 30 events with the error signature “x <n>”? They are deleted from kici_events. This cannot be undone.'
    );
    expect(discardConfirmText(1, 'y')).toBe(
      'Discard 1 event with the error signature “y”? They are deleted from kici_events. This cannot be undone.'
    );
  });

  it('discards one by one and stops at a role refusal, marking the rest refused', async () => {
    const calls: string[] = [];
    const outcomes = await discardAll(
      {
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

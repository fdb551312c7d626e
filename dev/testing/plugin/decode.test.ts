import { encodeFrame } from '../../../src/backend/protocol/frame';
import { decodeFrame, isArrowFile } from './decode';

describe('decodeFrame', () => {
  it('turns an encoded frame back into plain values and metadata', () => {
    const bytes = encodeFrame(
      {
        name: 'dlq',
        meta: { executedQueryString: 'SELECT 1' },
        fields: [
          { name: 'time', type: 'time', values: [1767225600000, null], nullable: true },
          { name: 'n', type: 'int64', values: [5, 2n ** 60n] },
          { name: 'v', type: 'number', values: [1.5, 2], labels: { k: 'v' }, config: { unit: 's' } },
          { name: 's', type: 'string', values: ['a', 'ü'] },
          { name: 'b', type: 'boolean', values: [true, false] },
          { name: 'j', type: 'json', values: [{ x: [1] }, 'y'] },
        ],
      },
      'R'
    );
    const frame = decodeFrame(bytes);
    expect(frame).toMatchObject({ name: 'dlq', refId: 'R', meta: { executedQueryString: 'SELECT 1' } });
    expect(frame.fields.map((f) => [f.name, f.type, f.values])).toEqual([
      ['time', 'time', [1767225600000, null]],
      ['n', 'int64', [5, 2n ** 60n]],
      ['v', 'number', [1.5, 2]],
      ['s', 'string', ['a', 'ü']],
      ['b', 'boolean', [true, false]],
      ['j', 'json', [{ x: [1] }, 'y']],
    ]);
    expect(frame.fields[2]).toMatchObject({ labels: { k: 'v' }, config: { unit: 's' }, tstype: 'number' });
    expect(frame.fields[0].arrowType).toBe('Timestamp<NANOSECOND>');
  });

  it('rejects bytes that are not an Arrow IPC file', () => {
    expect(isArrowFile(Buffer.from('ARROW1'))).toBe(false);
    expect(() => decodeFrame(Buffer.from('{"not":"arrow"}'))).toThrow('not an Arrow IPC file');
  });
});

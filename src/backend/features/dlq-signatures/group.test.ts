import { binsFor, groupSignatures, type TextGroupRow } from './group';

const t = (iso: string) => new Date(iso);
const row = (error: string, n: number, first: string, last: string, names: string[], keys: string[], sample: string) =>
  ({
    error,
    n: String(n),
    first_at: t(first),
    last_at: t(last),
    event_names: names,
    routing_keys: keys,
    sample_id: sample,
  }) as TextGroupRow;

describe('groupSignatures', () => {
  it('merges texts of one signature: counts add, times widen, names and keys unite, the newest text is the sample', () => {
    const layout = binsFor(
      { from: Date.parse('2026-12-05T10:00:00Z'), to: Date.parse('2026-12-05T11:00:00Z') },
      600_000
    );
    expect(layout).toEqual({ start: Date.parse('2026-12-05T10:00:00Z'), stepMs: 600_000, count: 6 });
    const sigs = groupSignatures(
      [
        row(
          'connect ECONNREFUSED 10.0.0.1:443',
          3,
          '2026-12-05T10:05:00Z',
          '2026-12-05T10:20:00Z',
          ['a'],
          ['github:1'],
          'e1'
        ),
        row(
          'connect ECONNREFUSED 10.0.0.2:443',
          2,
          '2026-12-05T09:00:00Z',
          '2026-12-05T10:55:00Z',
          ['b', 'a'],
          [],
          'e2'
        ),
        row('lock file fetch failed', 9, '2026-12-05T10:00:00Z', '2026-12-05T10:01:00Z', ['c'], ['github:2'], 'e3'),
      ],
      [
        { error: 'connect ECONNREFUSED 10.0.0.1:443', t: t('2026-12-05T10:00:00Z'), n: '1' },
        { error: 'connect ECONNREFUSED 10.0.0.1:443', t: t('2026-12-05T10:20:00Z'), n: '2' },
        { error: 'connect ECONNREFUSED 10.0.0.2:443', t: t('2026-12-05T10:50:00Z'), n: '1' },
      ],
      layout
    );
    expect(sigs.map((s) => [s.signature, s.count])).toEqual([
      ['lock file fetch failed', 9],
      ['connect ECONNREFUSED <host>', 5],
    ]);
    const refused = sigs[1];
    expect(refused.firstAt).toEqual(t('2026-12-05T09:00:00Z'));
    expect(refused.lastAt).toEqual(t('2026-12-05T10:55:00Z'));
    expect(refused.eventNames).toEqual(['a', 'b']);
    expect(refused.routingKeys).toEqual(['github:1']);
    expect([refused.sampleError, refused.sampleEventId]).toEqual(['connect ECONNREFUSED 10.0.0.2:443', 'e2']);
    expect(refused.admissions).toEqual([1, 0, 2, 0, 0, 1]);
  });
});

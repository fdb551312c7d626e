import { PluginError } from '../../protocol/types';
import { decodeCursor, encodeCursor, type DlqCursor } from './cursor';

const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';

describe('dlq cursor', () => {
  it.each<DlqCursor>([
    { sort: 'dlqAt', dir: 'desc', value: '1795500677907123', id: ID },
    { sort: 'createdAt', dir: 'asc', value: '-5', id: ID },
    { sort: 'attempts', dir: 'asc', value: 5, id: ID },
    { sort: 'eventName', dir: 'desc', value: 'it\'s "quoted"; DROP TABLE kici_events; --', id: ID },
  ])('round-trips %j', (c) => {
    const text = encodeCursor(c);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text, { sort: c.sort, dir: c.dir })).toEqual(c);
  });

  it('refuses a cursor of another sort order', () => {
    const text = encodeCursor({ sort: 'dlqAt', dir: 'desc', value: '1', id: ID });
    expect(() => decodeCursor(text, { sort: 'dlqAt', dir: 'asc' })).toThrow(
      'invalid query: cursor: it belongs to a query sorted by dlqAt desc, not dlqAt asc; drop the cursor to start from the first page'
    );
    expect(() => decodeCursor(text, { sort: 'attempts', dir: 'desc' })).toThrow(
      /sorted by dlqAt desc, not attempts desc/
    );
  });

  it.each([
    ['not base64 JSON', 'garbage!!'],
    ['a JSON array', Buffer.from('[1]').toString('base64url')],
    [
      'a bad id',
      Buffer.from(JSON.stringify({ s: 'dlqAt', d: 'desc', k: '1', i: "1' OR '1'='1" })).toString('base64url'),
    ],
    [
      'a non-integer time value',
      Buffer.from(JSON.stringify({ s: 'dlqAt', d: 'desc', k: '1.5', i: ID })).toString('base64url'),
    ],
    [
      'a string attempts value',
      Buffer.from(JSON.stringify({ s: 'attempts', d: 'desc', k: '5', i: ID })).toString('base64url'),
    ],
    ['an unknown sort', Buffer.from(JSON.stringify({ s: 'payload', d: 'desc', k: '5', i: ID })).toString('base64url')],
  ])('refuses %s with a 400', (_what, text) => {
    let caught: unknown;
    try {
      decodeCursor(text, { sort: 'dlqAt', dir: 'desc' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PluginError);
    expect((caught as PluginError).status).toBe(400);
    expect((caught as PluginError).message).toMatch(/^invalid query: cursor: /);
  });
});

describe('forged cursor values PostgreSQL cannot hold (issue 14 item 4)', () => {
  const forged = (s: string, k: unknown) =>
    Buffer.from(JSON.stringify({ s, d: 'desc', k, i: ID })).toString('base64url');
  it.each([
    ['dlqAt', '9999999999999999999', 'a time key above 9999-12-31'],
    ['createdAt', '-9223372036854775809', 'a time key below 0001-01-01'],
    ['dlqAt', '253402300800000000', 'a time key above 9999-12-31'],
    ['attempts', 2 ** 31, 'attempts above the integer column'],
  ])('%s %s is a 400 naming the cursor', (sort, k, _why) => {
    expect(() => decodeCursor(forged(sort, k), { sort: sort as DlqCursor['sort'], dir: 'desc' })).toThrow(
      'invalid query: cursor: not a cursor returned by a dlqEvents query; drop the cursor to start from the first page'
    );
  });

  it('accepts the extreme times a timestamp holds', () => {
    for (const k of ['-62135596800000000', '253402300799999999']) {
      expect(decodeCursor(forged('dlqAt', k), { sort: 'dlqAt', dir: 'desc' }).value).toBe(k);
    }
  });
});

// Mutation testing (issue 20): the edges of what a page cursor may hold, each refused with the message the panel
// shows (a user pasting an old or edited URL sees it), and the extremes accepted.
describe('cursor edges (issue 20)', () => {
  const NOT_OURS =
    'invalid query: cursor: not a cursor returned by a dlqEvents query; drop the cursor to start from the first page';
  const text = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const cursor = (extra: Record<string, unknown>) => text({ s: 'dlqAt', d: 'desc', k: '1', i: ID, ...extra });
  const refused = (t: string, expect: { sort: DlqCursor['sort']; dir: DlqCursor['dir'] }) => {
    try {
      decodeCursor(t, expect);
    } catch (err) {
      return [err instanceof PluginError ? err.status : 'not a PluginError', (err as Error).message];
    }
    return 'accepted';
  };
  const desc = { sort: 'dlqAt', dir: 'desc' } as const;

  it.each([
    ['JSON null', text(null)],
    ['a JSON number', text(5)],
    ['a JSON string', text('dlqAt')],
    ['no sort', cursor({ s: undefined })],
    ['no direction', cursor({ d: undefined })],
    ['a direction other than asc/desc', cursor({ d: 'up' })],
    ['a numeric id', cursor({ i: 42 })],
    ['an id with text before the uuid', cursor({ i: `x${ID}` })],
    ['an id with text after the uuid', cursor({ i: `${ID}x` })],
    ['a time key with a space before it', cursor({ k: ' 1' })],
    ['a time key with a space after it', cursor({ k: '1 ' })],
    ['a time key of 20 digits', cursor({ k: '12345678901234567890' })],
    ['an empty time key', cursor({ k: '' })],
    ['a numeric time key', cursor({ k: 1 })],
    ['a time key one microsecond before 0001-01-01', cursor({ k: '-62135596800000001' })],
    ['a time key one microsecond after 9999-12-31', cursor({ k: '253402300800000000' })],
  ])('%s is refused as not ours', (_what, t) => {
    expect(refused(t, desc)).toEqual([400, NOT_OURS]);
  });

  it.each([
    ['attempts', 1.5],
    ['attempts', -(2 ** 31) - 1],
    ['attempts', 2 ** 31],
    ['attempts', null],
    ['eventName', 'e'.repeat(256)],
    ['eventName', 7],
  ] as const)('%s key %j is refused as not ours', (sort, k) => {
    expect(refused(text({ s: sort, d: 'asc', k, i: ID }), { sort, dir: 'asc' })).toEqual([400, NOT_OURS]);
  });

  it('accepts the extremes of each key and an upper-case id', () => {
    const upper = ID.toUpperCase();
    for (const [sort, k] of [
      ['attempts', -(2 ** 31)],
      ['attempts', 2 ** 31 - 1],
      ['eventName', 'e'.repeat(255)],
      ['eventName', ''],
      ['createdAt', '0'],
    ] as const) {
      expect(decodeCursor(text({ s: sort, d: 'asc', k, i: upper }), { sort, dir: 'asc' })).toEqual({
        sort,
        dir: 'asc',
        value: k,
        id: upper,
      });
    }
  });

  it('a cursor of the same sort in the other direction names both orders', () => {
    const t = encodeCursor({ sort: 'eventName', dir: 'asc', value: 'e', id: ID });
    expect(refused(t, { sort: 'eventName', dir: 'desc' })).toEqual([
      400,
      'invalid query: cursor: it belongs to a query sorted by eventName asc, not eventName desc; drop the cursor to start from the first page',
    ]);
    expect(refused(t, { sort: 'createdAt', dir: 'asc' })).toEqual([
      400,
      'invalid query: cursor: it belongs to a query sorted by eventName asc, not createdAt asc; drop the cursor to start from the first page',
    ]);
  });

  it('text that is not base64 JSON is refused as not ours', () => {
    expect(refused('garbage!!', desc)).toEqual([400, NOT_OURS]);
    expect(refused('', desc)).toEqual([400, NOT_OURS]);
  });
});

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

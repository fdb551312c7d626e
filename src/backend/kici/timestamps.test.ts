import pg from 'pg';

import { createTestDatabase, type TestDatabase } from '../../../dev/testing/postgres';
import { fastTimestamptz, kiciPgTypes, parseTimestamptz } from './timestamps';

// pg's own timestamptz parser (postgres-date), which the plugin used before.
const reference = pg.types.getTypeParser(1184, 'text') as (s: string) => Date | number | null;
const ms = (v: Date | number | null | undefined) => (v instanceof Date ? v.getTime() : v);

describe('parseTimestamptz', () => {
  it('agrees with postgres-date on every fraction length, offset form and 3-digit millisecond', () => {
    const offsets = ['+00', '-03', '+05:30', '-09:30', '+14', '-12', '+05:53:28', '-00:25:21'];
    const fractions = ['', '.5', '.12', '.123', '.1234', '.12345', '.123456', '.999999', '.000001', '.05'];
    for (let f = 0; f < 1000; f++) {
      fractions.push(`.${String(f).padStart(3, '0')}`);
    }
    const dates = ['2026-12-05 01:17:20', '1970-01-01 00:00:00', '2000-02-29 23:59:59', '0100-03-01 12:00:00'];
    let checked = 0;
    const disagree: string[] = [];
    for (const d of dates) {
      for (const f of fractions) {
        for (const o of offsets) {
          const s = `${d}${f}${o}`;
          if (ms(fastTimestamptz(s)) !== ms(reference(s))) {
            disagree.push(`${s}: ${ms(fastTimestamptz(s))} vs ${ms(reference(s))}`);
          }
          checked++;
        }
      }
    }
    expect(disagree).toEqual([]);
    expect(checked).toBe(4 * 1010 * 8);
  });

  it('hands forms it does not read to postgres-date, which gives the same value', () => {
    for (const s of [
      'infinity',
      '-infinity',
      '0044-03-15 12:00:00+00 BC',
      '0050-01-01 00:00:00+00',
      '12026-01-01 00:00:00+00',
      '2026-12-05 01:17:20.1234567+00',
      '2026-12-05T01:17:20+00',
    ]) {
      expect(fastTimestamptz(s)).toBeUndefined();
      expect([s, ms(parseTimestamptz(s))]).toEqual([s, ms(reference(s))]);
    }
  });
});

describe('kiciPgTypes against PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('kici_timestamps');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reads timestamptz in sessions of several time zones as the default parser does', async () => {
    const zones = ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Europe/Amsterdam'];
    const sql = `SELECT t, t::text AS text FROM (VALUES
        ('2026-12-05 01:17:20.123456+00'::timestamptz), ('1999-12-31 23:59:59+00'), ('2026-06-30 12:00:00.5+00'),
        ('1900-01-01 00:00:00+00'), ('infinity'), ('0044-03-15 12:00:00+00 BC')) v(t)`;
    for (const zone of zones) {
      const fast = new pg.Client({ connectionString: db.url, types: kiciPgTypes, options: `-c TimeZone=${zone}` });
      const plain = new pg.Client({ connectionString: db.url, options: `-c TimeZone=${zone}` });
      await Promise.all([fast.connect(), plain.connect()]);
      try {
        const [a, b] = await Promise.all([fast.query(sql), plain.query(sql)]);
        expect(a.rows.map((r) => [r.text, ms(r.t)])).toEqual(b.rows.map((r) => [r.text, ms(r.t)]));
        expect(ms(a.rows[0].t)).toBe(Date.UTC(2026, 11, 5, 1, 17, 20, 123));
      } finally {
        await Promise.all([fast.end(), plain.end()]);
      }
    }
  });
});

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimestamptz } from './pg-dates';

const pgDefault = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (v: string) => unknown;

describe('parseTimestamptz', () => {
  // PostgreSQL itself is the reference: it prints each instant as text in several time zones and says
  // how many milliseconds after the epoch that is.
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create('memory://');
  });
  afterAll(async () => db.close());

  const instants = [
    '2026-11-27 15:19:35.127456+00',
    '2026-11-27 15:19:35+00',
    '2026-01-01 00:00:00.5+00',
    '2024-02-29 23:59:59.999999+00',
    '1999-12-31 23:59:59.001+00',
    '1890-06-01 12:00:00+00', // local mean time: offsets with seconds, e.g. +00:19:32 in Amsterdam
    '1000-01-01 00:00:00+00',
    '2100-03-01 00:00:00.000001+00',
  ];
  const zones = ['UTC', 'Asia/Ho_Chi_Minh', 'America/St_Johns', 'Asia/Kolkata', 'Europe/Amsterdam', 'Pacific/Kiritimati', 'America/Los_Angeles'];

  it('agrees with PostgreSQL on every instant in every time zone', async () => {
    let checked = 0;
    for (const zone of zones) {
      await db.exec(`set timezone = '${zone}'`);
      for (const instant of instants) {
        const r = await db.query<{ text: string; ms: string }>(
          `select t::text as text, floor(extract(epoch from t) * 1000)::text as ms from (select $1::timestamptz as t) x`,
          [instant],
        );
        const { text, ms } = r.rows[0]!;
        const parsed = parseTimestamptz(text);
        expect(parsed, `${text} (${zone})`).toBeInstanceOf(Date);
        expect((parsed as Date).getTime(), `${text} (${zone})`).toBe(Number(ms));
        checked++;
      }
    }
    expect(checked).toBe(zones.length * instants.length);
  });

  it('hands what it does not recognise to pg’s own parser', () => {
    for (const s of ['infinity', '-infinity', '0099-01-01 00:00:00+00', '2020-01-01 00:00:00+00 BC', '12020-01-01 00:00:00+00', '2020-01-01 00:00:00']) {
      const want = pgDefault(s);
      const got = parseTimestamptz(s);
      if (want instanceof Date) expect((got as Date).getTime(), s).toBe(want.getTime());
      else expect(got, s).toEqual(want);
    }
  });

  it('matches pg’s parser on ordinary values', () => {
    for (const s of ['2026-11-27 15:19:35.127+00', '2026-11-27 22:19:35.127+07', '2026-11-27 11:49:35.1-03:30']) {
      expect((parseTimestamptz(s) as Date).getTime(), s).toBe((pgDefault(s) as Date).getTime());
    }
  });
});

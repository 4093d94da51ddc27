import pg from 'pg';

const parseDefault = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (v: string) => Date | number | null;

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);
const isDigit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/**
 * A timestamptz as PostgreSQL prints it with DateStyle ISO (`2026-11-27 15:19:35.127456+00`, offsets
 * `+05:30` or `-03:30:15`), parsed without regular expressions. List pages parse hundreds of these per
 * request; this is several times faster than pg's default. Anything else (BC dates, infinity, years
 * before 1000 or after 9999) goes to pg's own parser, so results never differ.
 */
export function parseTimestamptz(s: string): Date | number | null {
  const n = s.length;
  if (n < 22 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return parseDefault(s);
  }
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) if (!isDigit(s, i)) return parseDefault(s);
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + two(s, 2);
  if (year < 1000) return parseDefault(s);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let scale = 100;
    while (i < n && isDigit(s, i)) {
      ms += digit(s, i) * scale; // digits past milliseconds truncate, as Date keeps whole milliseconds
      scale /= 10;
      i++;
    }
    ms = Math.floor(ms);
  }
  const sign = s.charCodeAt(i);
  if ((sign !== 43 && sign !== 45) || i + 3 > n || !isDigit(s, i + 1) || !isDigit(s, i + 2)) return parseDefault(s);
  let offsetSec = two(s, i + 1) * 3600;
  i += 3;
  for (const unit of [60, 1]) {
    if (i === n) break;
    if (s.charCodeAt(i) !== 58 || i + 3 > n || !isDigit(s, i + 1) || !isDigit(s, i + 2)) return parseDefault(s);
    offsetSec += two(s, i + 1) * unit;
    i += 3;
  }
  if (i !== n) return parseDefault(s);
  const utc = Date.UTC(year, two(s, 5) - 1, two(s, 8), two(s, 11), two(s, 14), two(s, 17), ms);
  return new Date(utc - (sign === 43 ? 1 : -1) * offsetSec * 1000);
}

import { describe, expect, it } from 'vitest';
import { jsonBytes } from './json-bytes';

describe('jsonBytes', () => {
  it('produces exactly the bytes of JSON.stringify, including large pages and non-ASCII text', () => {
    const item = (i: number) => ({ id: `v${i}`, title: i % 2 ? `Chào anh Minh ${i} — “quote” \u2028 😀` : null, n: i / 3, tags: ['a', 'b'], nested: { ok: true } });
    const cases: Record<string, unknown>[] = [
      { items: Array.from({ length: 1500 }, (_, i) => item(i)), total: 1500, page: 1, page_size: 1500 },
      { items: [], total: 0 },
      {},
      { a: undefined, b: 1, c: [undefined, () => 1, null], d: 'x"y\\z', e: new Date(0) },
    ];
    for (const value of cases) expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
    expect(jsonBytes(cases[0]!).length).toBeGreaterThan(128 * 1024);
  });
});

import { isIP } from 'node:net';

/** An address range [start, end] of one family, as integers. */
export interface Interval {
  v6: boolean;
  start: bigint;
  end: bigint;
}

/** Parses an IPv4, IPv6 or IPv4-mapped IPv6 address into a bigint and its family; null when not an IP. */
export function parseIp(ip: string): { v6: boolean; value: bigint } | null {
  const clean = ip.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(clean);
  const addr = mapped ? mapped[1]! : clean;
  const fam = isIP(addr);
  if (fam === 4) {
    return { v6: false, value: addr.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  }
  if (fam !== 6) return null;
  const [head, tail] = addr.split('::') as [string, string | undefined];
  // An embedded dotted IPv4 tail counts as two groups.
  const groupsOf = (s: string | undefined) =>
    (s ? s.split(':') : []).flatMap((g) => {
      if (!g.includes('.')) return [g];
      const n = g.split('.').map(Number);
      return [((n[0]! << 8) | n[1]!).toString(16), ((n[2]! << 8) | n[3]!).toString(16)];
    });
  const h = groupsOf(head);
  const t = groupsOf(tail);
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return { v6: true, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n) };
}

const width = (v6: boolean) => (v6 ? 128n : 32n);

/** `a.b.c.d/n` or `x:y::/n` (a bare address is a single host) → its interval; null when malformed. */
export function parseCidr(cidr: string): Interval | null {
  const [ip, bitsText, extra] = cidr.trim().split('/');
  if (extra !== undefined || !ip) return null;
  const parsed = parseIp(ip);
  if (!parsed || /::ffff:\d/i.test(ip)) return null; // a mapped IPv4 inside a CIDR list is a mistake, not a range
  const w = width(parsed.v6);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = BigInt(bitsText ?? w.toString());
  if (bits > w) return null;
  const hostMask = (1n << (w - bits)) - 1n;
  const start = parsed.value & ~hostMask & ((1n << w) - 1n);
  return { v6: parsed.v6, start, end: start | hostMask };
}

export function formatIp(value: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  // RFC 5952: the longest run (≥ 2) of zero groups becomes '::'.
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** Sorts and merges overlapping or adjacent intervals (per family). */
export function mergeIntervals(list: Interval[]): Interval[] {
  const out: Interval[] = [];
  const sorted = [...list].sort((a, b) => (a.v6 !== b.v6 ? (a.v6 ? 1 : -1) : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && last.v6 === i.v6 && i.start <= last.end + 1n) {
      if (i.end > last.end) last.end = i.end;
    } else out.push({ ...i });
  }
  return out;
}

/** The fewest CIDR blocks that cover exactly one interval. */
export function intervalToCidrs({ v6, start, end }: Interval): string[] {
  const w = width(v6);
  const out: string[] = [];
  let s = start;
  while (s <= end) {
    let size = 0n; // host bits of the block
    while (size < w && (s & ((1n << (size + 1n)) - 1n)) === 0n && s + (1n << (size + 1n)) - 1n <= end) size++;
    out.push(`${formatIp(s, v6)}/${w - size}`);
    s += 1n << size;
  }
  return out;
}

/** Merges a list of CIDRs into the fewest equivalent blocks (IPv4 first, then IPv6). Throws on a malformed entry. */
export function collapseCidrs(cidrs: string[]): string[] {
  return mergeIntervals(cidrs.map(mustParse)).flatMap(intervalToCidrs);
}

/** `cidrs` without the addresses of `minus` (e.g. Google's goog.json minus its customers' cloud.json). */
export function subtractCidrs(cidrs: string[], minus: string[]): string[] {
  const holes = mergeIntervals(minus.map(mustParse));
  const out: Interval[] = [];
  for (const range of mergeIntervals(cidrs.map(mustParse))) {
    let pieces = [range];
    for (const h of holes) {
      if (h.v6 !== range.v6) continue;
      pieces = pieces.flatMap((p) => {
        if (h.end < p.start || h.start > p.end) return [p];
        const keep: Interval[] = [];
        if (h.start > p.start) keep.push({ v6: p.v6, start: p.start, end: h.start - 1n });
        if (h.end < p.end) keep.push({ v6: p.v6, start: h.end + 1n, end: p.end });
        return keep;
      });
    }
    out.push(...pieces);
  }
  return out.flatMap(intervalToCidrs);
}

function mustParse(cidr: string): Interval {
  const i = parseCidr(cidr);
  if (!i) throw new Error(`Not a CIDR block: ${JSON.stringify(cidr)}`);
  return i;
}

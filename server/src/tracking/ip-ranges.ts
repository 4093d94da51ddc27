import { isIP } from 'node:net';
import { PROXY_RANGES, type RangeSource } from './ip-ranges.data';

interface Block {
  v6: boolean;
  net: bigint;
  mask: bigint;
  source: RangeSource;
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

function toBlock(cidr: string, source: RangeSource): Block {
  const [ip, bitsText] = cidr.split('/');
  const parsed = parseIp(ip!);
  if (!parsed) throw new Error(`Bad CIDR in ip-ranges.data.ts: ${cidr}`);
  const width = parsed.v6 ? 128n : 32n;
  const bits = BigInt(bitsText ?? width.toString());
  const mask = bits === 0n ? 0n : ((1n << bits) - 1n) << (width - bits);
  return { v6: parsed.v6, net: parsed.value & mask, mask, source };
}

const V4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i;

/** Looks up which known proxy/scanner network (if any) an address belongs to. */
export class IpRanges {
  private readonly blocks: Block[];
  /** IPv4 blocks as plain 32-bit numbers: the per-event hot path avoids BigInt. */
  private readonly v4: { net: number; mask: number; source: RangeSource }[];
  constructor(lists = PROXY_RANGES) {
    this.blocks = lists.flatMap((l) => l.cidrs.map((c) => toBlock(c, l.source)));
    this.v4 = this.blocks.filter((b) => !b.v6).map((b) => ({ net: Number(b.net), mask: Number(b.mask), source: b.source }));
  }

  /** undefined when `ip` is not a dotted IPv4 (or IPv4-mapped) address. */
  private lookupV4(ip: string): RangeSource | null | undefined {
    const m = V4.exec(ip.trim());
    if (!m) return undefined;
    const o = [m[1], m[2], m[3], m[4]].map(Number);
    if (o.some((x) => x > 255)) return null;
    const n = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
    for (const b of this.v4) if (((n & b.mask) >>> 0) === b.net) return b.source;
    return null;
  }

  lookup(ip: string | undefined): RangeSource | null {
    if (!ip) return null;
    const v4 = this.lookupV4(ip);
    if (v4 !== undefined) return v4;
    const p = parseIp(ip);
    if (!p) return null;
    for (const b of this.blocks) if (b.v6 === p.v6 && (p.value & b.mask) === b.net) return b.source;
    return null;
  }
}

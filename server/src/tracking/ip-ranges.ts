import { parseCidr, parseIp, mergeIntervals } from './cidr';
import { loadRangeFile, toRangeLists, type RangeList, type RangeSource } from './ip-ranges.data';

export { parseIp } from './cidr';

/** One source's merged ranges of one family, sorted, for binary search. */
interface Table<T> {
  source: RangeSource;
  starts: T[];
  ends: T[];
}

function find<T>(tables: Table<T>[], value: T): RangeSource | null {
  for (const t of tables) {
    let lo = 0;
    let hi = t.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (t.starts[mid]! > value) hi = mid - 1;
      else if (t.ends[mid]! < value) lo = mid + 1;
      else return t.source;
    }
  }
  return null;
}

const V4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i;
let bundled: RangeList[] | undefined;

/**
 * Looks up which known proxy/scanner network (if any) an address belongs to. Lists are checked in order
 * (the data file puts specific lists before broad ones); each is merged and binary-searched, so the
 * 100,000-row Apple list costs a lookup microseconds, and IPv4 avoids BigInt on the per-event path.
 */
export class IpRanges {
  private readonly v4: Table<number>[] = [];
  private readonly v6: Table<bigint>[] = [];
  /** Defaults to the bundled data file (read on first use, not at import). */
  constructor(lists: RangeList[] = (bundled ??= toRangeLists(loadRangeFile()))) {
    for (const l of lists) {
      const merged = mergeIntervals(
        l.cidrs.map((c) => {
          const i = parseCidr(c);
          if (!i) throw new Error(`Bad CIDR for ${l.source}: ${c}`);
          return i;
        }),
      );
      const four = merged.filter((i) => !i.v6);
      const six = merged.filter((i) => i.v6);
      if (four.length) this.v4.push({ source: l.source, starts: four.map((i) => Number(i.start)), ends: four.map((i) => Number(i.end)) });
      if (six.length) this.v6.push({ source: l.source, starts: six.map((i) => i.start), ends: six.map((i) => i.end) });
    }
  }

  lookup(ip: string | undefined): RangeSource | null {
    if (!ip) return null;
    const m = V4.exec(ip.trim());
    if (m) {
      const o = [m[1], m[2], m[3], m[4]].map(Number);
      if (o.some((x) => x > 255)) return null;
      return find(this.v4, ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0);
    }
    const p = parseIp(ip);
    if (!p) return null;
    return p.v6 ? find(this.v6, p.value) : find(this.v4, Number(p.value));
  }
}

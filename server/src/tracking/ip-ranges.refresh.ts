import { randomUUID } from 'node:crypto';
import { collapseCidrs, parseCidr, subtractCidrs } from './cidr';
import type { RangeBlock, RangeFile } from './ip-ranges.data';

/*
 * Parsers for the vendors' published formats and the refresh of the data file. Pure except for the
 * `fetchText` the caller passes (scripts/refresh-ip-ranges.ts gives it the network; tests give it files).
 */

/** Google's JSON lists (goog.json, cloud.json, googlebot.json, special-crawlers.json, user-triggered-fetchers*.json). */
export function parseGoogleJson(text: string): { cidrs: string[]; publishedAt: string | null } {
  const doc = JSON.parse(text) as { creationTime?: string; prefixes?: { ipv4Prefix?: string; ipv6Prefix?: string }[] };
  if (!Array.isArray(doc.prefixes)) throw new Error('not a Google IP range list: no "prefixes" array');
  const cidrs = doc.prefixes.map((p) => p.ipv4Prefix ?? p.ipv6Prefix).filter((c): c is string => typeof c === 'string');
  for (const c of cidrs) if (!parseCidr(c)) throw new Error(`bad prefix in Google list: ${c}`);
  return { cidrs, publishedAt: doc.creationTime ?? null };
}

/** Apple's egress-ip-ranges.csv: `prefix,country,region,city,` per line (geography dropped, ranges merged). */
export function parseAppleEgressCsv(text: string): { cidrs: string[]; rows: number } {
  const prefixes: string[] = [];
  for (const [n, line] of text.split(/\r?\n/).entries()) {
    const prefix = line.split(',', 1)[0]!.trim();
    if (!prefix) continue;
    if (!parseCidr(prefix)) throw new Error(`egress-ip-ranges.csv line ${n + 1}: not a prefix: ${JSON.stringify(line.slice(0, 80))}`);
    prefixes.push(prefix);
  }
  if (!prefixes.length) throw new Error('egress-ip-ranges.csv is empty');
  return { cidrs: collapseCidrs(prefixes), rows: prefixes.length };
}

/** Microsoft 365 endpoints web service (`/endpoints/worldwide`): the `ips` of one service area's entries. */
export function parseOffice365Endpoints(text: string, serviceArea = 'Exchange'): string[] {
  const entries = JSON.parse(text) as { serviceArea?: string; ips?: string[] }[];
  if (!Array.isArray(entries)) throw new Error('not a Microsoft 365 endpoints list: expected an array');
  const ips = entries.filter((e) => e.serviceArea === serviceArea).flatMap((e) => e.ips ?? []);
  for (const c of ips) if (!parseCidr(c)) throw new Error(`bad prefix in Microsoft 365 list: ${c}`);
  return ips;
}

/** Microsoft 365 `/version/worldwide`: `{ instance, latest }`. */
export const parseOffice365Version = (text: string): string | null => (JSON.parse(text) as { latest?: string }).latest ?? null;

export type FetchText = (url: string) => Promise<string>;

const GOOGLE = 'https://developers.google.com/static/search/apis/ipranges/';
/** The extra URLs some blocks combine with their own `url`. */
export const EXTRA_URLS = {
  googleCloud: 'https://www.gstatic.com/ipranges/cloud.json',
  googleUserFetchersGoogle: `${GOOGLE}user-triggered-fetchers-google.json`,
  office365Version: 'https://endpoints.office.com/version/worldwide',
};

/** How each downloadable block (by id) is refreshed: its CIDRs, its own date, and what to say about it. */
const REFRESHERS: Record<string, (b: RangeBlock, get: FetchText) => Promise<{ cidrs: string[]; publishedAt: string | null; note: string }>> = {
  async 'google-network'(b, get) {
    const goog = parseGoogleJson(await get(b.url!));
    const cloud = parseGoogleJson(await get(EXTRA_URLS.googleCloud));
    return { cidrs: collapseCidrs(subtractCidrs(goog.cidrs, cloud.cidrs)), publishedAt: goog.publishedAt, note: `goog.json minus cloud.json (${EXTRA_URLS.googleCloud}, creationTime ${cloud.publishedAt ?? '?'}), as Google documents for its own services.` };
  },
  async 'googlebot'(b, get) {
    const l = parseGoogleJson(await get(b.url!));
    return { cidrs: collapseCidrs(l.cidrs), publishedAt: l.publishedAt, note: 'As published, merged.' };
  },
  async 'google-special-crawlers'(b, get) {
    const l = parseGoogleJson(await get(b.url!));
    return { cidrs: collapseCidrs(l.cidrs), publishedAt: l.publishedAt, note: 'As published, merged.' };
  },
  async 'google-user-triggered-fetchers'(b, get) {
    const a = parseGoogleJson(await get(b.url!));
    const g = parseGoogleJson(await get(EXTRA_URLS.googleUserFetchersGoogle));
    return { cidrs: collapseCidrs([...a.cidrs, ...g.cidrs]), publishedAt: a.publishedAt, note: `Together with ${EXTRA_URLS.googleUserFetchersGoogle}, merged.` };
  },
  async 'microsoft-exchange-online'(b, get) {
    const id = randomUUID(); // the service asks every caller for a client request id
    const version = parseOffice365Version(await get(`${EXTRA_URLS.office365Version}?clientrequestid=${id}`));
    const cidrs = parseOffice365Endpoints(await get(`${b.url!}?clientrequestid=${id}`));
    return { cidrs: collapseCidrs(cidrs), publishedAt: version, note: 'The ips of every serviceArea "Exchange" entry, merged; published_at is the list version.' };
  },
  async 'apple-private-relay'(b, get) {
    const l = parseAppleEgressCsv(await get(b.url!));
    return { cidrs: l.cidrs, publishedAt: null, note: `All ${l.rows} rows, merged into ${l.cidrs.length} blocks (geography dropped).` };
  },
};

/**
 * Downloads every block that has a refresher and returns the new file (hand-kept blocks are carried over
 * as they are). A block whose download or parse fails keeps its old content and says so in `failed`.
 */
export async function refreshRangeFile(current: RangeFile, fetchText: FetchText, now = new Date()): Promise<{ file: RangeFile; failed: { id: string; error: string }[]; refreshed: number }> {
  const failed: { id: string; error: string }[] = [];
  const blocks: RangeBlock[] = [];
  for (const b of current.blocks) {
    const refresh = REFRESHERS[b.id];
    if (!refresh || !b.url) {
      blocks.push(b);
      continue;
    }
    try {
      const r = await refresh(b, fetchText);
      if (!r.cidrs.length) throw new Error('the list is empty');
      blocks.push({ ...b, cidrs: r.cidrs, published_at: r.publishedAt, fetched_at: now.toISOString(), verified: true, note: `Downloaded by scripts/refresh-ip-ranges.ts. ${r.note}` });
    } catch (err) {
      failed.push({ id: b.id, error: err instanceof Error ? err.message : String(err) });
      blocks.push(b);
    }
  }
  const by = `scripts/refresh-ip-ranges.ts (npm run refresh:ip-ranges)${failed.length ? `; not refreshed, kept as before: ${failed.map((f) => f.id).join(', ')}` : ''}`;
  const refreshed = blocks.filter((b, i) => b !== current.blocks[i]).length;
  return { file: { format: 1, generated_at: now.toISOString(), generated_by: by, blocks }, failed, refreshed };
}

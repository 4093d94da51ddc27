import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCidr } from './cidr';

/**
 * Known proxy, prefetch, crawler and link-scanner networks, read from `ip-ranges.json` (the data file; its
 * blocks carry their source URL, fetch date and whether they were verified). `npm run refresh:ip-ranges`
 * downloads the published lists and rewrites it (scripts/refresh-ip-ranges.ts). A stale entry only makes
 * a few events "unknown" instead of "machine".
 */
export type RangeSource =
  | 'google_proxy'
  | 'google_crawler'
  | 'apple_mpp'
  | 'apple_private_relay'
  | 'microsoft_eop'
  | 'proofpoint'
  | 'mimecast'
  | 'barracuda';

export const RANGE_SOURCES: RangeSource[] = ['google_proxy', 'google_crawler', 'apple_mpp', 'apple_private_relay', 'microsoft_eop', 'proofpoint', 'mimecast', 'barracuda'];

/** One block of the data file: a published list (or a hand-kept one) and its provenance. */
export interface RangeBlock {
  id: string;
  source: RangeSource;
  vendor: string;
  title: string;
  /** Where the list is published (what the refresh script downloads); null for hand-kept lists. */
  url: string | null;
  /** When the refresh script downloaded it (ISO); null when it was never fetched from `url`. */
  fetched_at: string | null;
  /** The list's own date (e.g. Google's creationTime, Microsoft's version), when it states one. */
  published_at: string | null;
  /** True only when `cidrs` is exactly what `url` served at `fetched_at`. */
  verified: boolean;
  note: string;
  cidrs: string[];
}

export interface RangeFile {
  format: 1;
  generated_at: string;
  generated_by: string;
  /** Lookup order: the first block that holds an address names its source (specific lists before broad ones). */
  blocks: RangeBlock[];
}

/** The lists as the classifier consumes them. */
export interface RangeList {
  source: RangeSource;
  origin: string;
  cidrs: string[];
}

export const BUNDLED_RANGE_FILE = fileURLToPath(new URL('./ip-ranges.json', import.meta.url));

/** Reads and checks a data file; throws naming the block and entry that is wrong. */
export function parseRangeFile(text: string, where = 'ip-ranges.json'): RangeFile {
  const file = JSON.parse(text) as RangeFile;
  if (file.format !== 1 || !Array.isArray(file.blocks)) throw new Error(`${where}: not a format-1 range file`);
  for (const b of file.blocks) {
    if (!RANGE_SOURCES.includes(b.source)) throw new Error(`${where}: block ${b.id} has unknown source ${JSON.stringify(b.source)}`);
    if (!Array.isArray(b.cidrs)) throw new Error(`${where}: block ${b.id} has no cidrs array`);
    for (const c of b.cidrs) if (!parseCidr(c)) throw new Error(`${where}: block ${b.id}: bad CIDR ${JSON.stringify(c)}`);
  }
  return file;
}

export function loadRangeFile(path = BUNDLED_RANGE_FILE): RangeFile {
  return parseRangeFile(fs.readFileSync(path, 'utf8'), path);
}

export const toRangeLists = (file: RangeFile): RangeList[] =>
  file.blocks.map((b) => ({ source: b.source, origin: `${b.vendor}: ${b.title} (${b.url ?? 'hand-kept'})`, cidrs: b.cidrs }));

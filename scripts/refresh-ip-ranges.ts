/*
 * Downloads the published proxy/crawler/scanner IP lists from their official URLs and rewrites
 * server/src/tracking/ip-ranges.json with the source URL, fetch date and list date of every block.
 * Usage: npm run refresh:ip-ranges [-- --out other.json]. Exit 1 when any list could not be refreshed
 * (that block keeps its previous content and provenance).
 */
import fs from 'node:fs';
import { BUNDLED_RANGE_FILE, loadRangeFile } from '../server/src/tracking/ip-ranges.data';
import { refreshRangeFile } from '../server/src/tracking/ip-ranges.refresh';

const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? process.argv[outAt + 1]! : BUNDLED_RANGE_FILE;

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(120_000), headers: { 'user-agent': 'mail-video-service refresh-ip-ranges' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

const { file, failed, refreshed } = await refreshRangeFile(loadRangeFile(), fetchText);
for (const b of file.blocks) console.log(`${b.verified ? 'fetched ' : 'kept    '} ${b.id}: ${b.cidrs.length} blocks${b.published_at ? ` (list of ${b.published_at})` : ''}`);
for (const f of failed) console.error(`FAILED   ${f.id}: ${f.error}`);
if (refreshed) {
  fs.writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${out}`);
} else console.error(`nothing could be downloaded; ${out} left as it was`);
process.exit(failed.length ? 1 : 0);

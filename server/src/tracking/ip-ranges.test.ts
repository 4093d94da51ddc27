import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, DEMO, type TestEnv } from '../../test/harness';
import { renderTestMedia, storeVideo, type Media, type StoredVideo } from '../watch/watch.fixtures';
import { collapseCidrs, subtractCidrs } from './cidr';
import { classify } from './classifier';
import { IpRanges } from './ip-ranges';
import { BUNDLED_RANGE_FILE, loadRangeFile, parseRangeFile, toRangeLists, type RangeFile } from './ip-ranges.data';
import { EXTRA_URLS, parseAppleEgressCsv, parseGoogleJson, parseOffice365Endpoints, refreshRangeFile } from './ip-ranges.refresh';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/ip-ranges/', import.meta.url));
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name), 'utf8');
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('CIDR arithmetic', () => {
  it('merges adjacent and overlapping blocks into the fewest equivalent ones, IPv4 and IPv6', () => {
    expect(collapseCidrs(['10.0.0.0/25', '10.0.0.128/25', '10.0.0.7/32', '10.0.2.0/24'])).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(collapseCidrs(['2001:db8::/33', '2001:db8:8000::/33', '2001:db8::1'])).toEqual(['2001:db8::/32']);
    expect(() => collapseCidrs(['10.0.0.0/33'])).toThrow(/Not a CIDR block/);
  });
  it('subtracts one list from another (goog.json minus cloud.json)', () => {
    expect(subtractCidrs(['34.0.0.0/15'], ['34.0.0.0/16'])).toEqual(['34.1.0.0/16']);
    expect(subtractCidrs(['10.0.0.0/24'], ['10.0.0.64/26'])).toEqual(['10.0.0.0/26', '10.0.0.128/25']);
  });
});

describe('parsers of the published formats', () => {
  it("reads Google's JSON lists with their creationTime", async () => {
    expect(parseGoogleJson(await fixture('goog.json'))).toEqual({
      cidrs: ['8.8.8.0/24', '34.0.0.0/15', '66.249.64.0/19', '2001:4860::/32', '2600:1900::/28'],
      publishedAt: '2026-12-03T07:05:03.68994',
    });
    expect(() => parseGoogleJson('{"creationTime":"x"}')).toThrow(/no "prefixes"/);
  });
  it("reads Apple's egress CSV, dropping geography and merging rows", async () => {
    expect(parseAppleEgressCsv(await fixture('egress-ip-ranges.csv'))).toEqual({
      rows: 6,
      cidrs: ['172.224.226.0/27', '172.224.226.32/30', '172.224.229.0/26', '2a02:26f7:b3c0:4000::/63'],
    });
    expect(() => parseAppleEgressCsv('172.224.226.0/27,GB,GB-EN,London,\n<html>oops</html>\n')).toThrow(/line 2: not a prefix/);
  });
  it("reads Microsoft 365's endpoints: every Exchange entry's ips, nothing else", async () => {
    const ips = parseOffice365Endpoints(await fixture('o365-endpoints.json'));
    expect(ips).toContain('40.107.0.0/16');
    expect(ips).toContain('2a01:111:f403::/48');
    expect(ips).not.toContain('13.107.136.0/22'); // SharePoint
    expect(ips).toHaveLength(9);
  });
});

describe('npm run refresh:ip-ranges', () => {
  const served: Record<string, string> = {
    'https://www.gstatic.com/ipranges/goog.json': 'goog.json',
    [EXTRA_URLS.googleCloud]: 'cloud.json',
    'https://developers.google.com/static/search/apis/ipranges/googlebot.json': 'googlebot.json',
    'https://developers.google.com/static/search/apis/ipranges/special-crawlers.json': 'special-crawlers.json',
    'https://developers.google.com/static/search/apis/ipranges/user-triggered-fetchers.json': 'user-triggered-fetchers.json',
    [EXTRA_URLS.googleUserFetchersGoogle]: 'user-triggered-fetchers-google.json',
    'https://mask-api.icloud.com/egress-ip-ranges.csv': 'egress-ip-ranges.csv',
    'https://endpoints.office.com/endpoints/worldwide': 'o365-endpoints.json',
    [EXTRA_URLS.office365Version]: 'o365-version.json',
  };
  const fetchText = (url: string) => {
    const name = served[url.replace(/\?clientrequestid=[0-9a-f-]{36}$/, '')];
    return name ? fixture(name) : Promise.reject(new Error(`unexpected URL ${url}`));
  };

  it('downloads every published list from its official URL and records URL, fetch date and list date per block', async () => {
    const now = new Date('2026-12-04T10:00:00Z');
    const bundled = loadRangeFile();
    const { file, failed } = await refreshRangeFile(bundled, fetchText, now);
    expect(failed).toEqual([]);
    const block = (id: string) => file.blocks.find((b) => b.id === id)!;
    for (const b of file.blocks.filter((x) => x.url)) {
      expect(b, b.id).toMatchObject({ verified: true, fetched_at: '2026-12-04T10:00:00.000Z', url: bundled.blocks.find((x) => x.id === b.id)!.url });
    }
    expect(block('google-network').cidrs).toEqual(['8.8.8.0/24', '34.1.0.0/16', '66.249.64.0/19', '2001:4860::/32', '2600:1900::/34', '2600:1900:4010::/44', '2600:1900:4020::/43', '2600:1900:4040::/42', '2600:1900:4080::/41', '2600:1900:4100::/40', '2600:1900:4200::/39', '2600:1900:4400::/38', '2600:1900:4800::/37', '2600:1900:5000::/36', '2600:1900:6000::/35', '2600:1900:8000::/33', '2600:1901::/32', '2600:1902::/31', '2600:1904::/30', '2600:1908::/29']);
    expect(block('google-network').published_at).toBe('2026-12-03T07:05:03.68994');
    expect(block('microsoft-exchange-online').published_at).toBe('2026110300');
    expect(block('google-user-triggered-fetchers').cidrs).toEqual(['66.249.84.0/27', '107.178.194.0/29', '2600:1900:0:100::/64']);
    // Hand-kept lists (no published file) are carried over untouched, provenance and all.
    expect(block('apple-network')).toEqual(bundled.blocks.find((b) => b.id === 'apple-network'));
    expect(() => parseRangeFile(JSON.stringify(file))).not.toThrow();
    // The refreshed file drives the classifier: a Googlebot address is now a crawler, not just Google's network.
    const ranges = new IpRanges(toRangeLists(file));
    expect(classify({ type: 'click', userAgent: CHROME, ip: '66.249.66.40' }, ranges)).toEqual({ classification: 'machine', reason: 'google_crawler' });
    expect(classify({ type: 'open', userAgent: CHROME, ip: '172.224.229.9' }, ranges)).toEqual({ classification: 'machine', reason: 'apple_mpp_prefetch' });
    expect(classify({ type: 'click', userAgent: CHROME, ip: '172.224.229.9' }, ranges)).toEqual({ classification: 'human', reason: 'browser' });
  });

  it('keeps a block as it was, and says so, when its download fails', async () => {
    const { file, failed } = await refreshRangeFile(loadRangeFile(), (url) => (url.includes('icloud') ? Promise.reject(new Error('HTTP 503')) : fetchText(url)));
    expect(failed).toEqual([{ id: 'apple-private-relay', error: 'HTTP 503' }]);
    expect(file.blocks.find((b) => b.id === 'apple-private-relay')).toEqual(loadRangeFile().blocks.find((b) => b.id === 'apple-private-relay'));
    expect(file.generated_by).toMatch(/kept as before: apple-private-relay/);
  });
});

describe('the bundled data file', () => {
  it('says truthfully what each block is: unverified blocks have no fetch date, fetched ones name their URL', () => {
    const file = loadRangeFile();
    for (const b of file.blocks) {
      expect(b.note.length, b.id).toBeGreaterThan(20);
      if (b.verified) expect(b.fetched_at && b.url, b.id).toBeTruthy();
      else expect(b.fetched_at, b.id).toBeNull();
    }
    expect(file.blocks.map((b) => b.id)).toEqual(expect.arrayContaining(['apple-private-relay', 'google-network', 'googlebot', 'microsoft-exchange-online']));
  });
});

/** Tracking events through the HTTP app, classified with the range file the server was given. */
describe('tracking classifies with the range file it is configured with [pglite]', () => {
  let media: Media;
  let dir: string;
  const envs: TestEnv[] = [];
  beforeAll(async () => {
    media = await renderTestMedia(2);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-ranges-'));
  });
  afterAll(async () => {
    for (const e of envs) await e.close();
    await fs.rm(media.dir, { recursive: true, force: true });
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A server on `file`; one CTA beacon from `ip` on a watch page; the stored verdict. */
  async function verdictFor(file: RangeFile, ip: string) {
    const at = path.join(dir, `${envs.length}.json`);
    await fs.writeFile(at, JSON.stringify(file));
    const env = await createTestEnv('pglite', { env: { TRUST_PROXY: 'true', IP_RANGES_FILE: at } });
    envs.push(env);
    const video: StoredVideo = await storeVideo(env.container, media, DEMO.admin.email);
    const headers = { 'user-agent': CHROME, 'x-forwarded-for': ip };
    const page = await env.request(`/v/${video.slug}`, { headers });
    const t = /data-t="([^"]+)"/.exec(await page.text())![1]!;
    const res = await env.request('/api/v1/track', { method: 'POST', headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ t, e: 'cta' }) });
    expect(res.status).toBe(204);
    await env.container.tracking.flush();
    return env.container.db.selectFrom('tracking_events').select(['classification', 'reason']).where('type', '=', 'cta').executeTakeFirstOrThrow();
  }

  it('changes its verdict when the file changes: an address listed as a scanner network, then not', async () => {
    const bundled = JSON.parse(await fs.readFile(BUNDLED_RANGE_FILE, 'utf8')) as RangeFile;
    const listed: RangeFile = {
      ...bundled,
      blocks: [{ id: 'test-scanner', source: 'microsoft_eop', vendor: 'Test', title: 'documentation range', url: null, fetched_at: null, published_at: null, verified: false, note: 'test-only block, TEST-NET-2', cidrs: ['198.51.100.0/24'] }, ...bundled.blocks],
    };
    expect(await verdictFor(listed, '198.51.100.7')).toEqual({ classification: 'machine', reason: 'scanner_network:microsoft_eop' });
    expect(await verdictFor(bundled, '198.51.100.7')).toEqual({ classification: 'human', reason: 'browser' });
  });

  it('refuses to start with a broken range file, naming the block and entry', async () => {
    const at = path.join(dir, 'broken.json');
    const bundled = loadRangeFile();
    await fs.writeFile(at, JSON.stringify({ ...bundled, blocks: [{ ...bundled.blocks[0]!, cidrs: ['300.1.2.0/24'] }] }));
    await expect(createTestEnv('pglite', { env: { IP_RANGES_FILE: at } })).rejects.toThrow(/block google-special-crawlers: bad CIDR "300.1.2.0\/24"/);
  });
});

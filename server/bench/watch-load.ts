/*
 * Load generator for bench:watch, run as its own process (loopback only, bounded by count and time). Prints JSON.
 * mode 'get': `concurrency` clients each send GETs back to back until `total` or `seconds`; records time to first byte.
 * mode 'events': loads `sessions` watch pages for beacon tokens, waits 3 s (a play needs 3 s of playback), then posts
 *   7 beacons per session (play, progress 25/50/75/100, complete, cta) with `concurrency` in flight.
 */
import http from 'node:http';

interface Args {
  mode: 'get' | 'events';
  base: string;
  path: string;
  concurrency: number;
  total: number;
  seconds: number;
  sessions?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const base = new URL(args.base);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) throw new Error('bench:watch only loads loopback');
const agent = new http.Agent({ keepAlive: true, maxSockets: args.concurrency });
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; ttfb: number; text: string }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, path, method, headers: { 'user-agent': UA, ...headers } }, (res) => {
      const ttfb = performance.now() - start;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ttfb, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', () => resolve({ status: 0, ttfb: performance.now() - start, text: '' }));
    if (body) req.write(body);
    req.end();
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function pool<T>(items: T[], concurrency: number, until: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length && performance.now() < until) await fn(items[next++]!);
    }),
  );
}

async function getMode() {
  const ttfb: number[] = [];
  let bad = 0;
  let firstBad = '';
  const until = performance.now() + args.seconds * 1000;
  const t0 = performance.now();
  const jobs = Array.from({ length: args.total }, (_, i) => i);
  await pool(jobs, args.concurrency, until, async (i) => {
    // Each simulated client has its own address (the server runs with TRUST_PROXY=true for the bench).
    const r = await request('GET', args.path, { 'x-forwarded-for': ip(i % 50_000) });
    if (r.status === 200) ttfb.push(r.ttfb);
    else {
      bad++;
      firstBad ||= `${r.status} ${r.text.slice(0, 200)}`;
    }
  });
  const secs = (performance.now() - t0) / 1000;
  ttfb.sort((a, b) => a - b);
  return { ok: ttfb.length, bad, firstBad, rps: ttfb.length / secs, p50: pct(ttfb, 50), p95: pct(ttfb, 95), p99: pct(ttfb, 99) };
}

async function eventsMode() {
  const sessions = args.sessions ?? 1000;
  const tokens: string[] = [];
  await pool(Array.from({ length: sessions }, (_, i) => i), Math.min(50, args.concurrency), performance.now() + 120_000, async (i) => {
    const r = await request('GET', args.path, { 'x-forwarded-for': ip(100_000 + i) });
    const t = /data-t="([^"]+)"/.exec(r.text)?.[1];
    if (t) tokens.push(t);
  });
  await new Promise((r) => setTimeout(r, 3000));
  const kinds = [{ e: 'play' }, { e: 'progress', v: 25 }, { e: 'progress', v: 50 }, { e: 'progress', v: 75 }, { e: 'progress', v: 100 }, { e: 'complete' }, { e: 'cta' }];
  const beacons = tokens.flatMap((t, i) => kinds.map((k) => ({ body: JSON.stringify({ t, ...k }), xff: ip(100_000 + i) })));
  let accepted = 0;
  let refused = 0;
  const lat: number[] = [];
  const t0 = performance.now();
  await pool(beacons, args.concurrency, performance.now() + args.seconds * 1000, async (b) => {
    const r = await request('POST', '/api/v1/track', { 'content-type': 'text/plain;charset=UTF-8', 'x-forwarded-for': b.xff }, b.body);
    if (r.status === 204) accepted++;
    else refused++;
    lat.push(r.ttfb);
  });
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { sessions: tokens.length, sent: accepted + refused, accepted, refused, seconds: secs, eventsPerSec: accepted / secs, p95: pct(lat, 95) };
}

const out = args.mode === 'get' ? await getMode() : await eventsMode();
process.stdout.write(JSON.stringify(out));
agent.destroy();

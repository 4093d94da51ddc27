/*
 * Load generator for bench:watch, run as its own process (loopback only, bounded by count and time). Prints JSON.
 *
 * mode 'open': open loop, the way browsers arrive. Request i is due at t0 + i/rate whatever happened to the
 *   others (wrk2-style): the scheduler sends every due request on each timer tick, and latency is measured from
 *   the intended send time to the last byte, so a server stall shows as latency instead of silently lowering the
 *   offered rate (no coordinated omission). Each request comes from its own client address (X-Forwarded-For;
 *   the server runs with TRUST_PROXY=true). `repeat` is the share of requests that revalidate with the ETag of
 *   an earlier answer (a returning viewer); `newConnections` opens a TCP connection per request instead of
 *   reusing a keep-alive pool.
 * mode 'events': loads `sessions` watch pages for beacon tokens, waits 3 s (a play needs 3 s of playback), then
 *   posts 7 beacons per session (play, progress 25/50/75/100, complete, cta) with `concurrency` in flight.
 */
import http from 'node:http';

interface Args {
  mode: 'open' | 'events';
  base: string;
  path: string;
  rate?: number;
  seconds: number;
  warmup?: number;
  repeat?: number;
  newConnections?: boolean;
  concurrency?: number;
  sessions?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const base = new URL(args.base);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) throw new Error('bench:watch only loads loopback');
// FIFO reuse spreads requests over the pool, so no kept-alive socket idles into the server's keep-alive timeout (a reset).
const agent = new http.Agent({ keepAlive: !args.newConnections, maxSockets: 512, maxFreeSockets: 512, scheduling: 'fifo' });
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Answer {
  status: number;
  ttfb: number;
  text: string;
  etag?: string;
}

function request(method: string, path: string, headers: Record<string, string>, body?: string, start = performance.now()): Promise<Answer & { end: number }> {
  return new Promise((resolve) => {
    const h = { 'user-agent': UA, ...headers, ...(args.newConnections ? { connection: 'close' } : {}) };
    const req = http.request({ agent, host: base.hostname, port: base.port, path, method, headers: h }, (res) => {
      const ttfb = performance.now() - start;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ttfb, text: Buffer.concat(chunks).toString('utf8'), etag: res.headers.etag, end: performance.now() }));
    });
    req.on('error', (e) => resolve({ status: 0, ttfb: performance.now() - start, text: e.message, end: performance.now() }));
    if (body) req.write(body);
    req.end();
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openMode() {
  const rate = args.rate ?? 1000;
  const interval = 1000 / rate;
  // The ETag a returning viewer has from an earlier visit (fetched once, like the first visit of the page).
  const first = await request('GET', args.path, { 'x-forwarded-for': ip(1) });
  const etag = first.etag;
  const run = async (seconds: number, ipBase: number) => {
    const latency: number[] = [];
    const late: number[] = [];
    const status = new Map<number, number>();
    let firstBad = '';
    const pending: Promise<void>[] = [];
    const count = Math.round(seconds * rate);
    const t0 = performance.now() + 20;
    let i = 0;
    const cpu0 = process.cpuUsage();
    while (i < count) {
      const now = performance.now();
      // Send everything that is due: intended time t0 + i·interval, never later than the clock says.
      while (i < count && t0 + i * interval <= now) {
        const intended = t0 + i * interval;
        late.push(now - intended);
        const revalidate = etag && args.repeat && (i * 7919) % 1000 < args.repeat * 1000;
        const headers: Record<string, string> = { 'x-forwarded-for': ip(ipBase + (i % 60_000)) };
        if (revalidate) headers['if-none-match'] = etag;
        pending.push(
          request('GET', args.path, headers, undefined, intended).then((r) => {
            latency.push(r.end - intended);
            status.set(r.status, (status.get(r.status) ?? 0) + 1);
            if (r.status !== 200 && r.status !== 304) firstBad ||= `${r.status} ${r.text.slice(0, 200)}`;
          }),
        );
        i++;
      }
      const wait = t0 + i * interval - performance.now();
      await sleep(Math.max(0, Math.min(wait, 5)));
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    latency.sort((a, b) => a - b);
    late.sort((a, b) => a - b);
    const n = latency.length;
    return {
      sent: count,
      offeredRate: rate,
      achievedRate: n / elapsed,
      ok: status.get(200) ?? 0,
      notModified: status.get(304) ?? 0,
      errors: n - (status.get(200) ?? 0) - (status.get(304) ?? 0),
      firstBad,
      p50: pct(latency, 50),
      p95: pct(latency, 95),
      p99: pct(latency, 99),
      max: latency[n - 1] ?? NaN,
      // How late the generator itself sent (its own CPU shares the machine with the server).
      sendLateP99: pct(late, 99),
      generatorCpuSec: (cpu.user + cpu.system) / 1e6,
    };
  };
  if (args.warmup) await run(args.warmup, 100_000);
  return run(args.seconds, 200_000);
}

async function pool<T>(items: T[], concurrency: number, until: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length && performance.now() < until) await fn(items[next++]!);
    }),
  );
}

async function eventsMode() {
  const sessions = args.sessions ?? 1000;
  const concurrency = args.concurrency ?? 200;
  const tokens: string[] = [];
  await pool(Array.from({ length: sessions }, (_, i) => i), Math.min(50, concurrency), performance.now() + 120_000, async (i) => {
    const r = await request('GET', args.path, { 'x-forwarded-for': ip(300_000 + i) });
    const t = /data-t="([^"]+)"/.exec(r.text)?.[1];
    if (t) tokens.push(t);
  });
  await sleep(3000);
  const kinds = [{ e: 'play' }, { e: 'progress', v: 25 }, { e: 'progress', v: 50 }, { e: 'progress', v: 75 }, { e: 'progress', v: 100 }, { e: 'complete' }, { e: 'cta' }];
  const beacons = tokens.flatMap((t, i) => kinds.map((k) => ({ body: JSON.stringify({ t, ...k }), xff: ip(300_000 + i) })));
  let accepted = 0;
  let refused = 0;
  const lat: number[] = [];
  const t0 = performance.now();
  await pool(beacons, concurrency, performance.now() + args.seconds * 1000, async (b) => {
    const r = await request('POST', '/api/v1/track', { 'content-type': 'text/plain;charset=UTF-8', 'x-forwarded-for': b.xff }, b.body);
    if (r.status === 204) accepted++;
    else refused++;
    lat.push(r.ttfb);
  });
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { sessions: tokens.length, sent: accepted + refused, accepted, refused, seconds: secs, eventsPerSec: accepted / secs, p95: pct(lat, 95) };
}

const out = args.mode === 'open' ? await openMode() : await eventsMode();
process.stdout.write(JSON.stringify(out));
agent.destroy();

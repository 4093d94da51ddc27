/*
 * npm run bench:watch — the watch page and the poster under an open-loop load (requests offered at a fixed rate
 * from another process, latency from the intended send time: see watch-load.ts), with a share of returning
 * viewers revalidating the poster by ETag, then the beacon ingestion rate with a row count afterwards, on
 * PostgreSQL. The server runs in one process (`cli.ts api`), the load in another, loopback only; both share the
 * machine's cores, and so does PostgreSQL.
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server URL; a fresh database is created and dropped),
 * else postgresql://postgres@127.0.0.1:5432/postgres. Knobs: BENCH_RATE (1000 req/s), BENCH_SECONDS (10),
 * BENCH_WARMUP (3 s at the same rate), BENCH_REPEAT (0.5: share of poster requests with If-None-Match),
 * BENCH_NEW_CONNECTIONS (false: keep-alive pool; true: one TCP connection per request), BENCH_SESSIONS (2000
 * page views for the ingestion part, 0 skips it).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { createContainer } from '../src/container';
import { createLogger } from '../src/logger';
import { DEMO, seedDemo } from '../src/seed';
import { renderTestMedia, storeVideo } from '../src/watch/watch.fixtures';
import { freshBenchDatabase, startServer, tsx } from './bench-server';

const run = promisify(execFile);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 0.5);
const NEW_CONNECTIONS = process.env.BENCH_NEW_CONNECTIONS === 'true';
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 2000);
const TARGET_P95_MS = 20;

async function prepare(env: Record<string, string>) {
  const config = loadConfig(env);
  const c = await createContainer(config, createLogger('silent'));
  await seedDemo(c);
  const media = await renderTestMedia(4);
  const video = await storeVideo(c, media, DEMO.admin.email);
  const r = await c.recipients.ensure(video.tenantId, video.id, { email: 'bench@customer.example', name: 'Bench' });
  await c.close();
  await fs.rm(media.dir, { recursive: true, force: true });
  return { video, recipientSlug: r.slug };
}

/** CPU seconds (user + system) used so far by a process and its descendants (tsx runs the server in a child). */
async function treeCpu(pid: number): Promise<number> {
  let total = 0;
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 Hz)
    for (const tid of await fs.readdir(`/proc/${pid}/task`)) {
      const kids = (await fs.readFile(`/proc/${pid}/task/${tid}/children`, 'utf8')).trim();
      for (const k of kids ? kids.split(' ') : []) total += await treeCpu(Number(k));
    }
  } catch {
    /* process gone */
  }
  return total;
}

async function load<T>(args: object): Promise<T> {
  const { stdout } = await run(tsx, [path.join(import.meta.dirname, 'watch-load.ts'), JSON.stringify(args)], { maxBuffer: 1 << 20, timeout: ((SECONDS + WARMUP) * 3 + 180) * 1000 });
  return JSON.parse(stdout) as T;
}

type OpenResult = {
  sent: number; offeredRate: number; achievedRate: number; ok: number; notModified: number; errors: number; firstBad: string;
  p50: number; p95: number; p99: number; max: number; sendLateP99: number; generatorCpuSec: number;
};
type EventResult = { sessions: number; sent: number; accepted: number; refused: number; seconds: number; eventsPerSec: number; p95: number };

async function main() {
  const db = await freshBenchDatabase('mvs_watch_bench');
  if (!db) throw new Error('PostgreSQL is not reachable: set BENCH_DATABASE_URL');
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-watch-bench-'));
  const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', TRUST_PROXY: 'true', BCRYPT_COST: '4', PUBLIC_URL: 'http://127.0.0.1' };
  let server: { proc: ChildProcess; url: string } | undefined;
  try {
    const { video, recipientSlug } = await prepare(env);
    server = await startServer(env);
    const base = server.url;
    const open = (p: string, repeat = 0) =>
      load<OpenResult>({ mode: 'open', base, path: p, rate: RATE, seconds: SECONDS, warmup: WARMUP, repeat, newConnections: NEW_CONNECTIONS });
    const pid = server.proc.pid!;
    // Server CPU per request tells what the target needs from an idle core, whatever else shares this machine.
    const measured = async <T>(fn: () => Promise<T>) => {
      const before = await treeCpu(pid);
      const r = await fn();
      return { r, cpu: (await treeCpu(pid)) - before };
    };
    // Baseline: the cheapest route through the same middleware (request id, logger, security headers) and router.
    const { r: base0, cpu: baseCpu } = await measured(() => open('/healthz'));
    const { r: page, cpu: pageCpu } = await measured(() => open(`/v/${recipientSlug}`));
    const { r: thumb, cpu: thumbCpu } = await measured(() => open(`/v/${recipientSlug}/poster.jpg`, REPEAT));
    const events = SESSIONS
      ? await measured(() => load<EventResult>({ mode: 'events', base, path: `/v/${video.slug}`, concurrency: 200, seconds: 60, sessions: SESSIONS }))
      : null;

    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
    const total = (r: OpenResult) => WARMUP * RATE + r.sent + 1;
    console.log(`\nbench:watch on PostgreSQL, ${os.cpus().length} cores shared by the server, PostgreSQL and the load generator (loopback)`);
    console.log(`open loop: ${RATE} req/s offered for ${SECONDS} s after ${WARMUP} s of warm-up, latency from the intended send time to the last byte; ${NEW_CONNECTIONS ? 'a new TCP connection per request' : 'keep-alive connections'}`);
    console.log('target                     | sent  | 200   | 304   | errors | achieved/s | p50 ms | p95 ms | p99 ms | max ms | verdict (p95 < 20 ms)');
    for (const [name, r] of [['GET /healthz (baseline)', base0], ['GET /v/{slug} (page)', page], ['GET /v/{slug}/poster.jpg', thumb]] as const) {
      const verdict = name.includes('baseline') ? '' : r.p95 < TARGET_P95_MS && !r.errors ? 'met' : 'NOT MET';
      console.log(
        `${name.padEnd(26)} | ${String(r.sent).padEnd(5)} | ${String(r.ok).padEnd(5)} | ${String(r.notModified).padEnd(5)} | ${String(r.errors).padEnd(6)} | ${f(r.achievedRate).padEnd(10)} | ${f(r.p50).padEnd(6)} | ${f(r.p95).padEnd(6)} | ${f(r.p99).padEnd(6)} | ${f(r.max).padEnd(6)} | ${verdict}`,
      );
    }
    console.log(`poster: ${((thumb.notModified / thumb.sent) * 100).toFixed(0)} % answered 304 Not Modified (returning viewers sent If-None-Match on ${(REPEAT * 100).toFixed(0)} % of requests)`);
    const us = (cpu: number, n: number) => (n ? ((cpu / n) * 1e6).toFixed(0) : '-');
    console.log(`server CPU per request (incl. warm-up): /healthz ${us(baseCpu, total(base0))} µs, page ${us(pageCpu, total(page))} µs, poster ${us(thumbCpu, total(thumb))} µs`);
    console.log(`load generator: sends ran late by up to ${f(Math.max(page.sendLateP99, thumb.sendLateP99))} ms (p99); it used ${f(page.generatorCpuSec + thumb.generatorCpuSec)} CPU-s for the page and poster runs`);
    console.log(`load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on this machine inflates the latencies)`);
    for (const r of [page, thumb]) if (r.firstBad) console.log(`first error: ${r.firstBad}`);
    let ingestOk = true;
    if (events) {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const rows = Number((await c.query(`select count(*) n from tracking_events where video_id = $1 and type not in ('open','click')`, [video.id])).rows[0].n);
      const agg = (await c.query(`select plays + reached_25 + reached_50 + reached_75 + reached_100 + completions + cta_clicks + machine_beacons as n from video_stats where video_id = $1 and scope = 'all'`, [video.id])).rows[0];
      await c.end();
      const e = events.r;
      console.log(`\nbeacons: ${e.sessions} page views x 7 = ${e.sent} sent, ${e.accepted} accepted (204), ${e.refused} refused; server CPU per beacon ${us(events.cpu, e.accepted)} µs`);
      console.log(`ingestion: ${f(e.eventsPerSec)} events/s over ${f(e.seconds)} s (beacon p95 ${f(e.p95)} ms; closed loop, 200 in flight)`);
      console.log(`rows in tracking_events: ${rows}; aggregate total: ${Number(agg?.n ?? 0)}; lost: ${e.accepted - rows}`);
      ingestOk = e.eventsPerSec >= 2000 && rows === e.accepted && Number(agg?.n) === rows;
    }
    const ok = page.p95 < TARGET_P95_MS && thumb.p95 < TARGET_P95_MS && !page.errors && !thumb.errors && ingestOk;
    console.log(ok ? `targets met (p95 < ${TARGET_P95_MS} ms at ${RATE} req/s offered${events ? ', >= 2000 events/s, nothing lost' : ''})` : 'targets NOT all met (see figures above)');
  } finally {
    if (server) {
      server.proc.kill('SIGTERM');
      await new Promise((r) => server!.proc.once('exit', r));
    }
    await db.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

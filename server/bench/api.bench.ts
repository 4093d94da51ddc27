/*
 * npm run bench:api — p50/p95 latency and requests/s of GET /api/v1/videos/ (authorised, 100 rows) and of login,
 * with the server in one process and the load from another, on PGlite and on PostgreSQL.
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server URL; a fresh database is created and dropped),
 * else postgresql://postgres@127.0.0.1:5432/postgres if reachable.
 * Knobs: BENCH_RATE (200 req/s), BENCH_SECONDS (10), BENCH_WARMUP (5 s at the full rate), BENCH_BACKENDS (pglite,postgres).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config';
import { createContainer } from '../src/container';
import { createLogger } from '../src/logger';
import { DEMO, seedDemo } from '../src/seed';
import { freshBenchDatabase, startServer, tsx } from './bench-server';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 200);
/** Seconds of load at the full rate before measuring: the figures are for a warm server, as in production. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
/** Which backends to run: `pglite,postgres` (default) or one of them. */
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());

async function prepare(env: Record<string, string>, databaseUrl?: string) {
  const config = loadConfig(env);
  const c = await createContainer(config, createLogger('silent'), databaseUrl ? { databaseUrl } : {});
  const ids = await seedDemo(c);
  const avatar = await c.db.selectFrom('avatars').select('id').where('tenant_id', '=', ids.tenantId).executeTakeFirst();
  const avatarId =
    avatar?.id ??
    (await c.db.insertInto('avatars').values({ tenant_id: ids.tenantId, owner_id: ids.adminId, name: 'Bench' }).returning('id').executeTakeFirstOrThrow()).id;
  // 100 finished videos as a real list page has them: files (so three signed URLs each), sizes, a CTA.
  const now = Date.now();
  const rows = Array.from({ length: 100 }, (_, i) => ({
    tenant_id: ids.tenantId,
    owner_id: ids.adminId,
    avatar_id: avatarId,
    title: `Follow-up ${i}`,
    script: `Hi there, thanks for your email about the renewal. Here is a short summary of what we agreed (${i}).`,
    language: 'en',
    renderer: 'photo',
    status: 'completed' as const,
    progress: 100,
    video_key: `${ids.tenantId}/videos/${randomBytes(16).toString('hex')}.mp4`,
    poster_key: `${ids.tenantId}/posters/${randomBytes(16).toString('hex')}.jpg`,
    gif_key: `${ids.tenantId}/gifs/${randomBytes(16).toString('hex')}.gif`,
    duration_sec: 20.5,
    width: 720,
    height: 1280,
    video_bytes: 580_000,
    poster_bytes: 54_000,
    gif_bytes: 290_000,
    cta_label: 'Book a call',
    cta_url: 'https://example.com/book',
    attempts: 1,
    slug: randomBytes(16).toString('base64url'),
    created_at: new Date(now - i * 60_000),
    updated_at: new Date(now - i * 60_000 + 5_000),
    completed_at: new Date(now - i * 60_000 + 5_000),
  }));
  await c.db.insertInto('videos').values(rows).execute();
  await sql`analyze`.execute(c.db); // planner statistics, as autovacuum keeps them on a live database
  await c.close();
}

async function load(args: object) {
  const { stdout } = await run(tsx, [path.join(import.meta.dirname, 'load.ts'), JSON.stringify(args)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { ok: number; errors: number; non2xx: number; rps: number; p50: number; p95: number; p99: number };
}

async function benchBackend(name: string, databaseUrl?: string) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-bench-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  await prepare(env, databaseUrl);
  const { proc, url } = await startServer({ ...env, LOG_LEVEL: 'warn' });
  try {
    const form = `username=${encodeURIComponent(DEMO.admin.email)}&password=${DEMO.admin.password}`;
    const loginRes = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    const { access_token } = (await loginRes.json()) as { access_token: string };
    const listUrl = `${url}/api/v1/videos/?page=1&page_size=100`;
    const check = (await (await fetch(listUrl, { headers: { authorization: `Bearer ${access_token}` } })).json()) as { items?: { video_url: string | null }[] };
    if (check.items?.length !== 100 || !check.items.every((v) => v.video_url)) throw new Error(`list returned ${check.items?.length} rows, expected 100 with file URLs`);
    // Warm up (JIT, pools, caches) at the full rate, then measure.
    // As browsers and the Outlook add-in ask for it (the answer is brotli-compressed), then without compression.
    const asClients = { authorization: `Bearer ${access_token}`, 'accept-encoding': 'gzip, deflate, br' };
    const plain = { authorization: `Bearer ${access_token}` };
    if (WARMUP > 0) await load({ url: listUrl, method: 'GET', headers: asClients, rate: RATE, seconds: WARMUP });
    const list = await load({ url: listUrl, method: 'GET', headers: asClients, rate: RATE, seconds: SECONDS });
    const listPlain = await load({ url: listUrl, method: 'GET', headers: plain, rate: RATE, seconds: SECONDS });
    const login = await load({
      url: `${url}/api/v1/auth/login`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) },
      body: form,
      concurrency: 4,
      seconds: Math.max(5, SECONDS / 2),
    });
    return { name, list, listPlain, login };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
async function main() {
  const results = BACKENDS.includes('pglite') ? [await benchBackend('pglite')] : [];
  const pgdb = BACKENDS.includes('postgres') ? await freshBenchDatabase('mvs_bench') : undefined;
  if (pgdb) {
    try {
      results.push(await benchBackend('postgres', pgdb.url));
    } finally {
      await pgdb.drop();
    }
  } else if (BACKENDS.includes('postgres')) console.log('PostgreSQL not reachable: skipped (set BENCH_DATABASE_URL)');
  console.log(
    `\nGET /api/v1/videos/ (100 finished videos, 3 signed URLs each) at ${RATE} req/s offered for ${SECONDS} s after ${WARMUP} s of warm-up; ` +
      `login with 4 in flight (bcrypt cost ${process.env.BCRYPT_COST ?? 12})`,
  );
  console.log('backend   | route | req/s  | p50 ms | p95 ms | p99 ms | errors');
  for (const r of results) {
    for (const [route, s] of [['list', r.list], ['list*', r.listPlain], ['login', r.login]] as const) {
      console.log(`${r.name.padEnd(9)} | ${route.padEnd(5)} | ${fmt(s.rps).padStart(6)} | ${fmt(s.p50).padStart(6)} | ${fmt(s.p95).padStart(6)} | ${fmt(s.p99).padStart(6)} | ${s.errors + s.non2xx}`);
    }
  }
  console.log('list = with Accept-Encoding: gzip, deflate, br (as browsers send; brotli answer); list* = no Accept-Encoding (132 KB plain JSON)');
  const pg = results.find((r) => r.name === 'postgres');
  if (pg) {
    const verdict = (x: { p95: number; rps: number }) => `${x.p95 < 20 && x.rps >= RATE * 0.95 ? 'MET' : 'NOT MET'} (p95 ${fmt(x.p95)} ms, ${fmt(x.rps)} req/s)`;
    console.log(`\ntarget PostgreSQL list p95 < 20 ms at ${RATE} req/s: compressed as browsers ask ${verdict(pg.list)}; uncompressed ${verdict(pg.listPlain)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

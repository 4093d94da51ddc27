import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database';
import { BACKENDS, createTestEnv, freshPostgres, jsonBody, DEMO, type TestEnv } from '../../test/harness';

/*
 * Crash recovery with the shipped defaults (JOB_HEARTBEAT_SECONDS=10, JOB_HEARTBEAT_TIMEOUT_SECONDS=30,
 * JOB_EXPIRE_SECONDS=900): nothing here shortens them, so only the heartbeats can explain a recovery
 * inside 60 s. Each test prints the time from SIGKILL to the render being picked up again.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT =
  'Hi Priya, thanks for the call today. Here is a short summary of what we agreed on: a pilot with ten seats in March, ' +
  'a review of the numbers in April, and a decision on the full rollout before the end of the quarter. Talk soon!';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exit = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

/** A real server process (`npm start` runs `tsx server/src/cli.ts serve`), or `worker` / `api` alone. */
function spawnServer(cmd: 'serve' | 'worker', env: Record<string, string>): ChildProcess & { output: string[] } {
  const full = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', BCRYPT_COST: '4', ...env };
  for (const k of ['JOB_EXPIRE_SECONDS', 'JOB_HEARTBEAT_SECONDS', 'JOB_HEARTBEAT_TIMEOUT_SECONDS', 'JOB_RETRY_DELAY_SECONDS']) delete full[k as never];
  Object.assign(full, env);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', cmd], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  return Object.assign(child, { output });
}
const waitForLog = async (c: { output: string[] }, text: string, timeoutMs: number) => {
  for (const end = Date.now() + timeoutMs; !c.output.join('').includes(text); await sleep(50)) {
    if (Date.now() > end) throw new Error(`no "${text}" in the output:\n${c.output.join('').slice(-3000)}`);
  }
};
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

interface VideoState {
  status: string;
  stage: string | null;
  attempts: number;
  error: string | null;
}
/** Polls until `pred`, recording each distinct status#attempts; returns the row and when it matched. */
async function waitFor(read: () => Promise<VideoState>, pred: (v: VideoState) => boolean, timeoutMs: number, seen: string[]) {
  for (const end = Date.now() + timeoutMs; ; await sleep(50)) {
    const v = await read().catch(() => undefined); // a restarting server refuses connections for a while
    if (v && seen.at(-1) !== `${v.status}#${v.attempts}`) seen.push(`${v.status}#${v.attempts}`);
    if (v && pred(v)) return { v, at: Date.now() };
    if (Date.now() > end) throw new Error(`video never matched: ${seen.join(' → ')}`);
  }
}
// Killed before the upload: the row cannot have been completed by the dying attempt.
const midRender = (v: VideoState) => v.status === 'rendering' && v.stage !== 'upload' && v.stage !== 'thumbnails';

/** The three stored files of a tenant's videos (local storage), which must be exactly the row's keys. */
async function storedFiles(dataDir: string, tenantId: string) {
  const dir = path.join(dataDir, 'objects', tenantId, 'videos');
  return (await fs.readdir(dir)).filter((f) => !f.endsWith('.meta') && !f.endsWith('.tmp')).sort();
}

describe('npm start killed with SIGKILL mid-render and started again on the same DATA_DIR [pglite]', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-restart-'));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('requeues the render at start: completed once, 2 attempts, one set of files, within 60 s of the restart', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // No demo activity: its three photo renders would queue ahead of the render this test kills.
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'true', SEED_DEMO_ACTIVITY: 'false', DATABASE_URL: '', S3_ENDPOINT: '' };
    const login = async () => {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username: DEMO.user.email, password: DEMO.user.password }) });
      return ((await res.json()) as { access_token: string }).access_token;
    };

    const first = spawnServer('serve', env);
    children.push(first);
    await waitForLog(first, 'API listening', 90_000);
    let token = await login();
    const res = await fetch(`${base}/api/v1/videos`, {
      method: 'POST',
      ...jsonBody({ avatar_id: DEMO.avatarId, script: SCRIPT, renderer: 'static' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const read = async () => (await (await fetch(`${base}/api/v1/videos/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as VideoState;
    const seen: string[] = [];
    await waitFor(read, midRender, 60_000, seen);

    first.kill('SIGKILL'); // no shutdown code runs: PGlite's files and the active job stay as they were
    const killedAt = Date.now();
    await exit(first);
    const second = spawnServer('serve', env);
    children.push(second);
    await waitForLog(second, 'API listening', 90_000);
    const listening = Date.now();
    token = await login();
    const picked = await waitFor(read, (v) => v.attempts >= 2, 60_000, seen);
    const done = await waitFor(read, (v) => v.status === 'completed' || v.status === 'failed', 60_000, seen);
    process.stdout.write(
      `[pglite] SIGKILL → restarted process listening ${((listening - killedAt) / 1000).toFixed(1)} s → render picked up again ` +
        `${((picked.at - killedAt) / 1000).toFixed(1)} s after the kill → completed ${((done.at - killedAt) / 1000).toFixed(1)} s after it (${seen.join(' → ')})\n`,
    );
    expect(done.v.status, `${seen.join(' → ')}: ${done.v.error}`).toBe('completed');
    expect(done.v.attempts).toBe(2);
    expect(done.at - listening).toBeLessThan(60_000);

    second.kill('SIGTERM');
    expect(await exit(second)).toBe(0);
    // The database is the process's own: read it now that the process is gone.
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    try {
      const row = await database.db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const jobs = await sql<{ state: string; retry_count: number }>`select state, retry_count from pgboss.job where name = 'render-video' and data->>'videoId' = ${id}`.execute(database.db);
      expect(jobs.rows).toEqual([{ state: 'completed', retry_count: 1 }]);
      // One set of files for this video, and no file that no row holds (the demo activity seeds videos of its own).
      const rows = await database.db.selectFrom('videos').select(['video_key', 'poster_key', 'gif_key']).where('tenant_id', '=', row.tenant_id).execute();
      const held = rows.flatMap((r) => [r.video_key, r.poster_key, r.gif_key]).filter((k): k is string => !!k).map((k) => path.basename(k));
      const files = await storedFiles(dataDir, row.tenant_id);
      expect(files.filter((f) => !held.includes(f)), 'files no row holds (a dead attempt left them)').toEqual([]);
      expect(files).toEqual(expect.arrayContaining([row.video_key, row.poster_key, row.gif_key].map((k) => path.basename(k!))));
      expect(await database.db.selectFrom('job_heartbeats').selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
    }
  }, 300_000);
});

// A worker process needs a database other processes can reach, so this runs where PostgreSQL is configured.
if (BACKENDS.includes('postgres')) {
  describe('worker processes on PostgreSQL [postgres]', () => {
    let env: TestEnv;
    let pg: Awaited<ReturnType<typeof freshPostgres>>;
    const children: ChildProcess[] = [];
    beforeAll(async () => {
      pg = await freshPostgres();
      env = await createTestEnv('pglite', { startQueue: true, container: { databaseUrl: pg.url } });
    });
    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      await env.close();
      await pg.drop();
    });
    const row = (id: string) => env.container.db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const worker = (extra: Record<string, string> = {}) => {
      const c = spawnServer('worker', { DATABASE_URL: pg.url, DATA_DIR: env.dataDir, SEED_DEMO: 'false', ...extra });
      children.push(c);
      return c;
    };
    /** Without a renderer the service picks one as it would for a user (the SIGTERM case needs a render that outlasts 1 s). */
    const create = async (renderer: 'static' | undefined = 'static', script = SCRIPT) => {
      const token = await env.login(DEMO.user.email, DEMO.user.password);
      const res = await env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script, renderer }) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };

    it('SIGKILL of the worker mid-render: another worker picks the render up within 60 s and completes it once', async () => {
      const pair = [worker(), worker()];
      for (const w of pair) await waitForLog(w, 'worker started', 90_000);
      const id = await create();
      const seen: string[] = [];
      await waitFor(() => row(id), midRender, 60_000, seen);
      // Whichever worker took the render dies; its heartbeat row names it.
      const hb = await env.container.db.selectFrom('job_heartbeats').select('worker_id').where('job_name', '=', 'render-video').executeTakeFirstOrThrow();
      const doomed = pair.find((w) => w.output.join('').includes(hb.worker_id))!;
      const survivor = pair.find((w) => w !== doomed)!;
      expect(doomed).toBeDefined();
      doomed.kill('SIGKILL');
      const killedAt = Date.now();
      await exit(doomed);
      expect((await row(id)).status).toBe('rendering');
      const picked = await waitFor(() => row(id), (v) => v.attempts >= 2, 60_000, seen);
      const done = await waitFor(() => row(id), (v) => v.status === 'completed' || v.status === 'failed', 60_000, seen);
      process.stdout.write(
        `[postgres] SIGKILL → render picked up again by the other worker ${((picked.at - killedAt) / 1000).toFixed(1)} s after the kill → ` +
          `completed ${((done.at - killedAt) / 1000).toFixed(1)} s after it (${seen.join(' → ')})\n`,
      );
      expect(done.v.status, `${seen.join(' → ')}: ${done.v.error}`).toBe('completed');
      expect(done.v.attempts).toBe(2);
      expect(picked.at - killedAt).toBeLessThan(60_000);

      const jobs = () => sql<{ state: string; retry_count: number }>`select state, retry_count from pgboss.job where name = 'render-video'`.execute(env.container.db);
      for (let i = 0; i < 50 && (await jobs()).rows[0]?.state === 'active'; i++) await sleep(100);
      expect((await jobs()).rows).toEqual([{ state: 'completed', retry_count: 1 }]);
      const r = await row(id);
      expect(await storedFiles(env.dataDir, r.tenant_id)).toEqual([r.video_key, r.poster_key, r.gif_key].map((k) => path.basename(k!)).sort());
      expect((await env.container.db.selectFrom('videos').select('id').where('status', '=', 'completed').execute()).length).toBe(1);
      survivor.kill('SIGTERM');
      expect(await exit(survivor)).toBe(0);
    }, 240_000);

    it('SIGTERM lets a running render finish within the timeout, or requeues it at once when the timeout is short, and exits 0', async () => {
      const until = (id: string, status: string) => waitFor(() => row(id), (v) => v.status === status, 90_000, []);
      // Generous timeout: the job finishes before the process exits.
      const a = await create(undefined);
      const patient = worker({ SHUTDOWN_TIMEOUT_SECONDS: '120' });
      await waitForLog(patient, 'worker started', 90_000);
      await until(a, 'rendering');
      patient.kill('SIGTERM');
      expect(await exit(patient)).toBe(0);
      expect(await row(a)).toMatchObject({ status: 'completed', attempts: 1 });

      // Short timeout: the render is aborted and goes straight back to the queue (no expiry wait). A script
      // of about 90 s of speech keeps the render going well past the SIGTERM even on a fast machine (a
      // 20 s one could finish inside the 50 ms poll and the grace second, and the test saw 'completed').
      const b = await create(undefined, Array.from({ length: 5 }, () => SCRIPT).join(' '));
      const hasty = worker({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
      await waitForLog(hasty, 'worker started', 90_000);
      await until(b, 'rendering');
      const t0 = Date.now();
      hasty.kill('SIGTERM');
      expect(await exit(hasty)).toBe(0);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(await row(b)).toMatchObject({ status: 'queued', attempts: 1 });
      const jobs = await sql<{ state: string; data: { videoId: string } }>`select state, data from pgboss.job`.execute(env.container.db);
      expect(jobs.rows.find((j) => j.data.videoId === b)?.state).toBe('retry');

      worker({ JOB_RETRY_DELAY_SECONDS: '1' });
      await until(b, 'completed');
      expect((await row(b)).attempts).toBe(2);
    }, 300_000);
  });
}

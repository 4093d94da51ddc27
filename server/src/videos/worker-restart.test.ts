import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describe } from 'vitest';
import { BACKENDS, createTestEnv, describeEachBackend, freshPostgres, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The expiry must exceed a whole render on a loaded 2-core machine (a 5 s script took up to 15 s there).
const JOB_ENV = { JOB_EXPIRE_SECONDS: '45', JOB_MAINTENANCE_SECONDS: '1', JOB_RETRY_DELAY_SECONDS: '1' };
const SCRIPT = 'Hi Priya, thanks for the call today. Here is a short summary of what we agreed on.';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real `npm run worker` process (tsx) on the given database and data folder. */
function spawnWorker(databaseUrl: string, dataDir: string, extra: Record<string, string> = {}): ChildProcess {
  const env = { ...process.env, ...JOB_ENV, ...extra, NODE_ENV: 'test', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'worker'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

describeEachBackend('a worker that dies mid-render', (backend) => {
  let env: TestEnv;
  let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
  const children: ChildProcess[] = [];
  const workers: Worker[] = [];

  beforeAll(async () => {
    pg = backend === 'postgres' ? await freshPostgres() : undefined;
    env = await createTestEnv('pglite', { startQueue: true, env: JOB_ENV, container: pg ? { databaseUrl: pg.url } : {} });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const w of workers) await w.stop({ timeoutMs: 500 });
    await env.close();
    await pg?.drop();
  });

  const row = (id: string) => env.container.db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  async function waitFor(id: string, pred: (r: Awaited<ReturnType<typeof row>>) => boolean, timeoutMs: number, seen: string[]) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = await row(id);
      if (seen.at(-1) !== `${r.status}#${r.attempts}`) seen.push(`${r.status}#${r.attempts}`);
      if (pred(r)) return r;
      if (Date.now() > end) throw new Error(`video ${id}: ${seen.join(' → ')}`);
      await sleep(50);
    }
  }

  it('is picked up again after restart: the video completes exactly once with one set of files and 2 attempts', async () => {
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const res = await env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script: SCRIPT, renderer: 'static' }) });
    expect(res.status).toBe(202);
    const id = ((await res.json()) as { id: string }).id;
    const seen: string[] = [];

    if (pg) {
      children.push(spawnWorker(pg.url, env.dataDir));
      await waitFor(id, (r) => r.status === 'rendering', 60_000, seen);
      children[0]!.kill('SIGKILL'); // no shutdown code runs: the job stays active until it expires
      await new Promise((r) => children[0]!.once('exit', r));
      expect((await row(id)).status).toBe('rendering');
      children.push(spawnWorker(pg.url, env.dataDir));
    } else {
      // PGlite is one process: restart the in-process worker instead, stopping it with no grace period.
      workers.push(await startWorker(env.container, { pollingIntervalSeconds: 0.5 }));
      await waitFor(id, (r) => r.status === 'rendering', 60_000, seen);
      await workers.pop()!.stop({ timeoutMs: 0 });
      expect((await row(id)).status).toBe('queued');
      workers.push(await startWorker(env.container, { pollingIntervalSeconds: 0.5 }));
    }
    const done = await waitFor(id, (r) => r.status === 'completed' || r.status === 'failed', 120_000, seen);
    expect(done.status, `${seen.join(' → ')}: ${done.error}`).toBe('completed');
    expect(done.attempts).toBe(2);
    expect(seen[0]).toMatch(/^(queued#0|rendering#1)$/);
    expect(seen.at(-1)).toBe('completed#2');

    // The row is written before the worker completes the pg-boss job, so give that a moment.
    const jobs = () =>
      env.container.db
        .selectFrom('pgboss.job' as never)
        .select(['state' as never, 'retry_count' as never])
        .where('name' as never, '=', 'render-video' as never)
        .execute() as Promise<{ state: string; retry_count: number }[]>;
    for (let i = 0; i < 50 && (await jobs())[0]?.state === 'active'; i++) await sleep(100);
    expect(await jobs()).toEqual([{ state: 'completed', retry_count: 1 }]);

    // One set of stored files, all referenced by the row: nothing lost, nothing duplicated.
    const dir = path.join(env.dataDir, 'objects', done.tenant_id, 'videos');
    const files = (await fs.readdir(dir)).filter((f) => !f.endsWith('.meta') && !f.endsWith('.tmp')).sort();
    expect(files).toEqual([done.video_key, done.poster_key, done.gif_key].map((k) => path.basename(k!)).sort());
    expect((await fs.stat(path.join(dir, path.basename(done.video_key!)))).size).toBe(done.video_bytes);
    const completed = await env.container.db.selectFrom('videos').select('id').where('status', '=', 'completed').execute();
    expect(completed).toHaveLength(1);
  }, 240_000);
});

// A worker process needs a database other processes can reach, so this runs where PostgreSQL is configured.
if (BACKENDS.includes('postgres')) {
  describe('SIGTERM on a worker process [postgres]', () => {
    let env: TestEnv;
    let pg: Awaited<ReturnType<typeof freshPostgres>>;
    const children: ChildProcess[] = [];
    beforeAll(async () => {
      pg = await freshPostgres();
      env = await createTestEnv('pglite', { startQueue: true, env: JOB_ENV, container: { databaseUrl: pg.url } });
    });
    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      await env.close();
      await pg.drop();
    });
    const row = (id: string) => env.container.db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const until = async (id: string, status: string, timeoutMs: number) => {
      const end = Date.now() + timeoutMs;
      while ((await row(id)).status !== status) {
        if (Date.now() > end) throw new Error(`video ${id} never became ${status}; it is ${(await row(id)).status}`);
        await sleep(50);
      }
    };
    const exit = (c: ChildProcess) => new Promise<number | null>((r) => c.once('exit', (code) => r(code)));

    it('lets a running render finish within the timeout, or requeues it at once when the timeout is short, and exits 0', async () => {
      const token = await env.login(DEMO.user.email, DEMO.user.password);
      const create = async () =>
        ((await (await env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script: SCRIPT }) })).json()) as { id: string }).id;

      // Generous timeout: the job finishes before the process exits.
      const a = await create();
      const patient = spawnWorker(pg.url, env.dataDir, { SHUTDOWN_TIMEOUT_SECONDS: '120' });
      children.push(patient);
      await until(a, 'rendering', 60_000);
      patient.kill('SIGTERM');
      expect(await exit(patient)).toBe(0);
      expect(await row(a)).toMatchObject({ status: 'completed', attempts: 1 });

      // Short timeout: the render is aborted and goes straight back to the queue (no expiry wait).
      const b = await create();
      const hasty = spawnWorker(pg.url, env.dataDir, { SHUTDOWN_TIMEOUT_SECONDS: '1' });
      children.push(hasty);
      await until(b, 'rendering', 60_000);
      const t0 = Date.now();
      hasty.kill('SIGTERM');
      expect(await exit(hasty)).toBe(0);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(await row(b)).toMatchObject({ status: 'queued', attempts: 1 });
      const job = await env.container.db
        .selectFrom('pgboss.job' as never)
        .select(['state' as never, 'data' as never])
        .execute() as { state: string; data: { videoId: string } }[];
      expect(job.find((j) => j.data.videoId === b)?.state).toBe('retry');

      children.push(spawnWorker(pg.url, env.dataDir));
      await until(b, 'completed', 120_000);
      expect((await row(b)).attempts).toBe(2);
    }, 300_000);
  });
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/worker';
import { createTestEnv, DEMO, jsonBody, type TestEnv } from '../harness';
import { findPgBin, startPgCluster, type PgCluster } from './pg-cluster';

/*
 * PostgreSQL restarted under load, on a private cluster this test starts with the machine's initdb/pg_ctl.
 * Where the binaries are missing: a failure when PostgreSQL is configured (TEST_DATABASE_URL: CI, a
 * developer with PostgreSQL), else no suite — a PGlite-only machine has no PostgreSQL to restart.
 */
const BIN = findPgBin();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SCRIPT = 'Hi Minh, thanks for your time today. Here is the short summary of the plan we agreed on.';

if (BIN || process.env.TEST_DATABASE_URL) {
  describe('PostgreSQL restarted under load [postgres]', () => {
    let cluster: PgCluster;
    let env: TestEnv;
    let worker: Worker;
    let token: string;

    beforeAll(async () => {
      if (!BIN) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin or PG_BIN_DIR: apt-get install postgresql');
      cluster = await startPgCluster(BIN);
      env = await createTestEnv('pglite', {
        startQueue: true,
        container: { databaseUrl: cluster.url },
        env: { JOB_RETRY_DELAY_SECONDS: '1', JOB_HEARTBEAT_SECONDS: '2', JOB_HEARTBEAT_TIMEOUT_SECONDS: '8' },
      });
      worker = await startWorker(env.container, { pollingIntervalSeconds: 0.5 });
      token = await env.login(DEMO.user.email, DEMO.user.password);
    });
    afterAll(async () => {
      await worker?.stop({ timeoutMs: 1000 });
      await env?.close();
      await cluster?.destroy();
    });

    it('answers 503 database_unavailable while it is away, recovers by itself, and completes every render exactly once', async () => {
      const create = () => env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script: SCRIPT, renderer: 'static' }) });
      const created: string[] = [];
      const statuses = new Map<number, number>();
      const bodies: { status: number; body: Record<string, unknown>; retryAfter: string | null }[] = [];
      let load = true;
      // Load: list requests and new videos, all the time, before, during and after the restart.
      const client = async (n: number) => {
        for (let i = n; load; i++) {
          const res = i % 4 === 0 ? await create() : await env.request('/api/v1/videos/?page_size=20', { token });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const body = (await res.json()) as Record<string, unknown>;
          if (res.status === 202) created.push(String(body.id));
          if (res.status >= 500) bodies.push({ status: res.status, body, retryAfter: res.headers.get('retry-after') });
          await sleep(50);
        }
      };
      const loop = Promise.all([0, 1, 2].map(client)); // three clients at once

      const row = (id: string) => env.container.db.selectFrom('videos').select(['status', 'attempts']).where('id', '=', id).executeTakeFirst();
      for (let i = 0; i < 600 && !(created.length >= 2 && (await row(created[0]!))?.status === 'rendering'); i++) await sleep(50);
      expect(created.length).toBeGreaterThanOrEqual(2);

      await cluster.stop('fast'); // terminates every connection, like a restart or a failover
      const downAt = Date.now();
      await sleep(4000);
      const during = await env.request('/api/v1/videos/', { token });
      const ready = await env.request('/readyz');
      expect(during.status).toBe(503);
      expect(await during.json()).toMatchObject({ code: 'database_unavailable', message: expect.stringMatching(/try again/), requestId: expect.any(String) });
      expect(during.headers.get('retry-after')).toBe('5');
      expect(ready.status).toBe(503);
      const madeDuring = created.length;

      await cluster.start();
      const upAt = Date.now();
      let recovered = 0;
      for (let i = 0; i < 400; i++) {
        if ((await env.request('/api/v1/videos/', { token })).status === 200) {
          recovered = Date.now();
          break;
        }
        await sleep(50);
      }
      expect(recovered, 'the API never answered 200 again').toBeGreaterThan(0);
      for (let i = 0; i < 200 && created.length < madeDuring + 2; i++) await sleep(100); // a few made after
      load = false;
      await loop;

      // Every video the API accepted completes, once; none failed or was lost.
      const end = Date.now() + 120_000;
      let rows: { id: string; status: string; attempts: number; video_key: string | null; poster_key: string | null; gif_key: string | null; tenant_id: string }[];
      for (;;) {
        rows = await env.container.db.selectFrom('videos').select(['id', 'status', 'attempts', 'video_key', 'poster_key', 'gif_key', 'tenant_id']).execute();
        if (rows.every((r) => r.status === 'completed' || r.status === 'failed') || Date.now() > end) break;
        await sleep(250);
      }
      const allDone = Date.now();
      process.stdout.write(
        `[chaos/postgres] down ${((upAt - downAt) / 1000).toFixed(1)} s; API answered 200 again ${((recovered - upAt) / 1000).toFixed(1)} s after the restart; ` +
          `${rows.length} videos all settled ${((allDone - upAt) / 1000).toFixed(1)} s after it; attempts ${rows.map((r) => r.attempts).join(',')}; responses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
      );
      expect(rows.map((r) => r.id).sort()).toEqual([...created].sort());
      expect(rows.filter((r) => r.status !== 'completed')).toEqual([]);
      expect([...statuses.keys()].filter((s) => s !== 200 && s !== 202 && s !== 503)).toEqual([]);
      expect(statuses.get(503)).toBeGreaterThan(0);
      for (const b of bodies) expect(b).toMatchObject({ status: 503, body: { code: 'database_unavailable' }, retryAfter: '5' });
      // Exactly one set of files per video, all referenced by its row.
      const dir = path.join(env.dataDir, 'objects', rows[0]!.tenant_id, 'videos');
      const files = (await fs.readdir(dir)).filter((f) => !f.endsWith('.meta') && !f.endsWith('.tmp')).sort();
      expect(files).toEqual(rows.flatMap((r) => [r.video_key, r.poster_key, r.gif_key].map((k) => path.basename(k!))).sort());
      // And pg-boss recovered with them: every render job completed, none left active or failed.
      // (A row is written before its job is marked completed: give the last one a moment.)
      const jobs = () => sql<{ state: string; n: number }>`select state, count(*)::int as n from pgboss.job where name = 'render-video' group by state`.execute(env.container.db);
      for (let i = 0; i < 50 && (await jobs()).rows.some((j) => j.state === 'active'); i++) await sleep(100);
      expect((await jobs()).rows).toEqual([{ state: 'completed', n: rows.length }]);
    }, 240_000);
  });
}

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, type TestEnv } from '../../test/harness';
import type { JobContext, JobHandlers } from './job-handler';
import { JOB_HANDLERS } from './handlers';
import { assertHandlers, startWorker, type Worker } from './worker';

describe('assertHandlers', () => {
  it('accepts the real handler map: one handler for every job name', () => {
    expect(() => assertHandlers(JOB_HANDLERS)).not.toThrow();
  });
  it('refuses a map with a missing or an unknown job, naming them', () => {
    const { 'prepare-avatar': _omit, ...missing } = JOB_HANDLERS;
    expect(() => assertHandlers(missing)).toThrow(/missing \[prepare-avatar\]/);
    expect(() => assertHandlers({ ...JOB_HANDLERS, 'send-mail': async () => 'success' })).toThrow(/unknown \[send-mail\]/);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachBackend('job dispatcher', (backend) => {
  let env: TestEnv;
  let worker: Worker | undefined;
  /** Test job behaviour by payload id (the dispatcher is under test, not a feature handler). */
  const behaviours = new Map<string, (ctx: JobContext) => Promise<'success' | 'skipped'>>();
  const seen: { id: string; retryCount: number }[] = [];
  const handlers: JobHandlers = {
    'render-video': async (data, ctx) => {
      seen.push({ id: data.videoId, retryCount: ctx.retryCount });
      return behaviours.get(data.videoId)!(ctx);
    },
    'prepare-avatar': async (data, ctx) => behaviours.get(data.avatarId)!(ctx),
    'deliver-webhook': async (data, ctx) => behaviours.get(data.deliveryId)!(ctx),
    'campaign-fanout': async (data, ctx) => behaviours.get(data.campaignId)!(ctx),
    'render-campaign': async (data, ctx) => behaviours.get(data.recipientId)!(ctx),
    'campaign-send': async (data, ctx) => behaviours.get(data.campaignId)!(ctx),
    'campaign-ab-decide': async (data, ctx) => behaviours.get(data.campaignId)!(ctx),
  };
  const boss = () => env.container.queue.boss;
  const waitForState = async (name: string, id: string, states: string[], timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const job = await boss().getJobById(name, id);
      if (job && states.includes(job.state)) return job;
      if (Date.now() > end) throw new Error(`job ${id} is ${job?.state}, wanted ${states.join('|')}`);
      await sleep(200);
    }
  };

  beforeAll(async () => {
    env = await createTestEnv(backend, {
      seed: false,
      startQueue: true,
      env: { JOB_EXPIRE_SECONDS: '3', JOB_RETRY_DELAY_SECONDS: '1', JOB_MAINTENANCE_SECONDS: '1', JOB_HEARTBEAT_SECONDS: '1', JOB_HEARTBEAT_TIMEOUT_SECONDS: '2' },
    });
    worker = await startWorker(env.container, { handlers, concurrency: 1, pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 500 });
    await env.close();
  });

  it('refuses to start when a job name has no handler', async () => {
    const { 'render-video': _omit, ...partial } = handlers;
    await expect(startWorker(env.container, { handlers: partial as JobHandlers })).rejects.toThrow(/missing \[render-video\]/);
  });

  it('retries a failing job with backoff and completes it on the next attempt', async () => {
    const at: number[] = [];
    behaviours.set('retry-1', async (ctx) => {
      at.push(Date.now());
      if (ctx.retryCount === 0) throw new Error('transient');
      return 'success';
    });
    const id = (await env.container.queue.send('render-video', { videoId: 'retry-1', tenantId: 't' }))!;
    const job = await waitForState('render-video', id, ['completed']);
    expect(job.retryCount).toBe(1);
    expect(seen.filter((s) => s.id === 'retry-1').map((s) => s.retryCount)).toEqual([0, 1]);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900); // retryDelay 1 s (× 1–2 with backoff jitter)
    expect(job.output).toMatchObject({ result: 'success' });
  });

  it('aborts the signal of a job that runs into its expiry, then retries it', async () => {
    const aborted: { after: number; reason: string }[] = [];
    behaviours.set('slow-1', async (ctx) => {
      if (ctx.retryCount > 0) return 'success';
      const t0 = Date.now();
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.push({ after: Date.now() - t0, reason: String((ctx.signal.reason as Error).message) });
      throw ctx.signal.reason;
    });
    const id = (await env.container.queue.send('render-video', { videoId: 'slow-1', tenantId: 't' }))!;
    const job = await waitForState('render-video', id, ['completed']);
    expect(job.retryCount).toBe(1);
    expect(aborted).toHaveLength(1);
    expect(aborted[0]!.reason).toMatch(/expired after 3 s/);
    expect(aborted[0]!.after).toBeGreaterThanOrEqual(1500);
    expect(aborted[0]!.after).toBeLessThan(3000);
  });

  const heartbeat = (jobId: string) => env.container.db.selectFrom('job_heartbeats').selectAll().where('job_id', '=', jobId).executeTakeFirst();

  it('keeps a heartbeat for every running job of any type, and removes it when the job ends', async () => {
    let release!: () => void;
    behaviours.set('beating', () => new Promise((r) => (release = () => r('success'))));
    const id = (await env.container.queue.send('deliver-webhook', { deliveryId: 'beating', tenantId: 't' }))!;
    await waitForState('deliver-webhook', id, ['active']);
    for (let i = 0; !(await heartbeat(id)) && i < 50; i++) await sleep(50);
    const first = (await heartbeat(id))!;
    expect(first.worker_id).toBe(worker!.id);
    await sleep(2500); // well past the 2 s timeout: a live worker's job is never swept
    const later = (await heartbeat(id))!;
    expect(later.beat_at.getTime()).toBeGreaterThan(first.beat_at.getTime());
    expect((await boss().getJobById('deliver-webhook', id))!.state).toBe('active');
    release();
    await waitForState('deliver-webhook', id, ['completed']);
    expect(await heartbeat(id)).toBeUndefined();
  });

  it("requeues at once the job of a worker whose heartbeat stopped, and that job's next attempt completes it", async () => {
    behaviours.set('orphan', async (ctx) => (ctx.retryCount === 1 ? 'success' : 'skipped'));
    // A job fetched by a worker that then died (no process runs it): active, with a stale heartbeat.
    const id = (await env.container.queue.send('prepare-avatar', { avatarId: 'orphan', tenantId: 't' }, { startAfter: new Date(Date.now() + 3_600_000) }))!;
    await env.container.db.executeQuery(
      sql`update pgboss.job set state = 'active', started_on = now() - interval '1 minute', start_after = now() where id = ${id}::uuid`.compile(env.container.db),
    );
    await env.container.db
      .insertInto('job_heartbeats')
      .values({ job_id: id, job_name: 'prepare-avatar', worker_id: randomUUID(), beat_at: new Date(Date.now() - 60_000) })
      .execute();
    const t0 = Date.now();
    const job = await waitForState('prepare-avatar', id, ['completed'], 10_000);
    // Swept within a heartbeat interval, rerun at once (no retry backoff), as the second attempt.
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(job.retryCount).toBe(1);
    expect(job.output).toMatchObject({ result: 'success' });
  });

  it('aborts a job whose heartbeat another worker took over and records nothing for it', async () => {
    const aborted: string[] = [];
    behaviours.set('taken', async (ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.push(String((ctx.signal.reason as Error).message));
      throw ctx.signal.reason;
    });
    const id = (await env.container.queue.send('render-video', { videoId: 'taken', tenantId: 't' }))!;
    await waitForState('render-video', id, ['active']);
    for (let i = 0; !(await heartbeat(id)) && i < 50; i++) await sleep(50);
    // As if this worker had been declared dead and the job handed to another one, now running it.
    const other = randomUUID();
    await env.container.db.updateTable('job_heartbeats').set({ worker_id: other, beat_at: new Date(Date.now() + 60_000) }).where('job_id', '=', id).execute();
    for (let i = 0; !aborted.length && i < 60; i++) await sleep(50);
    expect(aborted[0]).toMatch(/taken over by another worker/);
    await sleep(300);
    // The job is still the other worker's: not failed, not completed, heartbeat untouched.
    expect((await boss().getJobById('render-video', id))!.state).toBe('active');
    expect((await heartbeat(id))!.worker_id).toBe(other);
    await boss().complete('render-video', id);
  });

  it('on stop, lets a job that finishes within the timeout complete and sends one that does not back to the queue', async () => {
    const started: string[] = [];
    behaviours.set('quick', async () => {
      started.push('quick');
      await sleep(600);
      return 'success';
    });
    behaviours.set('stuck', async (ctx) => {
      started.push('stuck');
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      throw ctx.signal.reason;
    });
    const quick = (await env.container.queue.send('render-video', { videoId: 'quick', tenantId: 't' }))!;
    const stuck = (await env.container.queue.send('prepare-avatar', { avatarId: 'stuck', tenantId: 't' }))!;
    for (let i = 0; started.length < 2 && i < 100; i++) await sleep(100);
    expect(started.sort()).toEqual(['quick', 'stuck']);
    const t0 = Date.now();
    await worker!.stop({ timeoutMs: 1200 });
    worker = undefined;
    expect(Date.now() - t0).toBeLessThan(2500);
    expect((await boss().getJobById('render-video', quick))!.state).toBe('completed');
    const back = (await boss().getJobById('prepare-avatar', stuck))!;
    expect(back.state).toBe('retry');
    expect(back.output).toMatchObject({ message: 'worker shutting down' });
  });
});

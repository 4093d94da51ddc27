import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { reconcileVideoRows } from './render.job';
import type { VideoRow } from './videos.repository';

describeEachBackend("rows of a dead worker's jobs", (backend) => {
  let env: TestEnv;
  let tenantId: string, ownerId: string;
  const finished: VideoRow[] = [];

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true });
    const u = await env.container.db.selectFrom('users').select(['id', 'tenant_id']).where('email', '=', DEMO.user.email).executeTakeFirstOrThrow();
    [tenantId, ownerId] = [u.tenant_id, u.id];
    env.container.videosService.onVideoFinished((v) => void finished.push(v));
  });
  afterAll(() => env.close());

  /** A video row stuck in `rendering` whose render job is in `state` (driven through pg-boss itself). */
  async function stuck(state: 'active' | 'retry' | 'failed'): Promise<string> {
    const v = await env.container.videosRepo.insert({
      tenant_id: tenantId, owner_id: ownerId, avatar_id: DEMO.avatarId, script: 'hi', language: 'en', renderer: 'static',
      slug: randomBytes(16).toString('base64url'), status: 'rendering', attempts: 1, updated_at: new Date(),
    });
    const boss = env.container.queue.boss;
    const jobId = (await boss.send('render-video', { videoId: v.id, tenantId }, { retryLimit: state === 'failed' ? 0 : 3 }))!;
    const [job] = await boss.fetch('render-video'); // now active, as if a worker had taken it
    expect(job!.id).toBe(jobId);
    if (state !== 'active') await boss.fail('render-video', jobId, { message: 'job failed by timeout in active state' });
    expect((await boss.getJobById('render-video', jobId))!.state).toBe(state);
    return v.id;
  }
  const status = async (id: string) => (await env.container.videosRepo.get(tenantId, id))!;

  it('puts a row back to queued when pg-boss will retry its job, leaves a running one alone, and fails one with no retries left', async () => {
    const retrying = await stuck('retry');
    const running = await stuck('active');
    const dead = await stuck('failed');
    await reconcileVideoRows(env.container);
    expect(await status(retrying)).toMatchObject({ status: 'queued', error_code: 'render_failed', error: expect.stringMatching(/will be retried/) });
    expect((await status(running)).status).toBe('rendering');
    expect(await status(dead)).toMatchObject({ status: 'failed', error: expect.stringMatching(/no retries are left/) });
    // The finished hook (webhooks) hears about the failure once, and only about it.
    expect(finished.map((v) => v.id)).toEqual([dead]);
    await reconcileVideoRows(env.container);
    expect(finished).toHaveLength(1);
  });
});

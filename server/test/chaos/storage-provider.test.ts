import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Minio from 'minio';
import S3rver from 's3rver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/worker';
import { startOpenAiFake, type OpenAiFake } from '../fakes/openai.fake';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../harness';

/*
 * Object storage down during a render (the S3 server stopped, then started again on the same port and
 * folder) and a TTS provider answering 500s: the render fails its attempt, the queue retries it, and it
 * completes once with exactly one set of stored files; nothing is lost, the API keeps answering.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KEY = 'sk-chaos-test';

describeEachBackend('renders survive storage and provider outages', (backend) => {
  let dir: string;
  let s3: S3rver;
  let port: number;
  let fake: OpenAiFake;
  let env: TestEnv;
  let worker: Worker;
  let token: string;
  const s3Options = () => ({ address: '127.0.0.1', port, silent: true, directory: dir });

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-chaos-s3-'));
    port = 0;
    s3 = new S3rver(s3Options());
    port = (await s3.run()).port;
    fake = await startOpenAiFake({ apiKey: KEY, msPerChar: 40 });
    env = await createTestEnv(backend, {
      startQueue: true,
      env: {
        S3_ENDPOINT: '127.0.0.1', S3_PORT: String(port), S3_USE_SSL: 'false', S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER',
        OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, JOB_RETRY_DELAY_SECONDS: '1',
      },
    });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.5 });
    token = await env.login(DEMO.user.email, DEMO.user.password);
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
    await s3?.close().catch(() => {});
    await fake?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const row = (id: string) => env.container.db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  async function until(id: string, pred: (r: Awaited<ReturnType<typeof row>>) => boolean, timeoutMs = 90_000) {
    for (const end = Date.now() + timeoutMs; ; await sleep(50)) {
      const r = await row(id);
      if (pred(r)) return r;
      if (Date.now() > end) throw new Error(`video ${id} is ${r.status}#${r.attempts}: ${r.error}`);
    }
  }
  const create = async (body: Record<string, unknown>) => {
    const res = await env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, renderer: 'static', ...body }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  /** The objects stored for a tenant's videos: exactly the keys the rows hold, or something was lost or left over. */
  async function storedVideoObjects(tenantId: string): Promise<string[]> {
    const client = new Minio.Client({ endPoint: '127.0.0.1', port, useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER' });
    const keys: string[] = [];
    for await (const o of client.listObjectsV2(env.config.S3_BUCKET, `${tenantId}/videos/`, true)) keys.push((o as { name: string }).name);
    return keys.sort();
  }
  const keysOf = (rows: { video_key: string | null; poster_key: string | null; gif_key: string | null }[]) =>
    rows.flatMap((r) => [r.video_key!, r.poster_key!, r.gif_key!]).sort();

  it('object storage down while a render runs, then started again: the render retries and completes once, one set of files', async () => {
    // Stopped first, so the attempt meets the outage whatever its speed (it reads the photo, then uploads).
    await s3.close();
    const id = await create({ script: 'Hello Lan, a quick update on the proposal and the next steps we agreed on together.' });
    const failed = await until(id, (r) => /^Attempt 1 failed, retrying/.test(r.error ?? '') || r.status === 'failed');
    expect(failed.status, failed.error ?? '').toBe('queued');
    // The API keeps answering from the database while the storage is away.
    expect((await env.request('/api/v1/videos/', { token })).status).toBe(200);
    s3 = new S3rver(s3Options());
    await s3.run();
    const done = await until(id, (r) => r.status === 'completed' || r.status === 'failed');
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(await storedVideoObjects(done.tenant_id)).toEqual(keysOf([done]));
  }, 180_000);

  it('a TTS provider answering 500s: the attempt fails, the queue retries, the video completes once', async () => {
    fake.reset();
    fake.failNext({ status: 500 }, 4); // every in-call retry of the first attempt
    const id = await create({ script: 'Short and sweet, Priya: the proposal is attached.', tts: { engine: 'openai' } });
    const done = await until(id, (r) => r.status === 'completed' || r.status === 'failed');
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.attempts).toBe(2);
    expect(fake.requests.map((r) => r.samples > 0)).toEqual([false, false, false, false, true]);
    const all = await env.container.db.selectFrom('videos').selectAll().where('status', '=', 'completed').execute();
    expect(await storedVideoObjects(done.tenant_id)).toEqual(keysOf(all));
  }, 180_000);
});

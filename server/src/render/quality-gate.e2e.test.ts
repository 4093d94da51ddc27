import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEnv, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { startWorker } from '../jobs/worker';
import { resolveBinaries } from '../media/binaries';
import { decodeQuarterGray } from './quality-gate';
import { prepareServiceFor } from './prepare/prepare.service';
import type { PreparedAvatar } from './prepared';

// Two whole apps (PGlite; the gate is renderer logic, not database logic) and real photo renders.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });
type Json = Record<string, unknown>;
const SCRIPT = 'Hi Minh, thanks for the quick reply about the budget. Let me show you the plan for next week, and we can talk on Monday.';
const ffmpeg = resolveBinaries(process.env).ffmpeg!;

async function setup(hook: 'first' | 'always') {
  const env = await createTestEnv('pglite', { startQueue: true, env: { RENDER_TEST_FROZEN_MOUTH: hook } });
  const worker = await startWorker(env.container, { concurrency: 1, pollingIntervalSeconds: 0.5 });
  const avatar = await env.container.videosRepo.findAvatar((await env.container.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id, DEMO.avatarId);
  const out = await prepareServiceFor(env.container).prepare(avatar!.tenant_id, DEMO.avatarId, ['portrait']);
  return { env, worker, prepared: out.built.portrait! };
}

async function renderVideo(env: TestEnv): Promise<Json> {
  const token = await env.login(DEMO.user.email, DEMO.user.password);
  const res = await env.request('/api/v1/videos/', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script: SCRIPT, renderer: 'photo' }) });
  expect(res.status).toBe(202);
  const id = String(((await res.json()) as Json).id);
  let v: Json = {};
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    v = (await (await env.request(`/api/v1/videos/${id}`, { token })).json()) as Json;
    if (v.status === 'completed' || v.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 300));
  }
  return { ...v, token };
}

/** Spread of the mouth box over the video's frames (gray levels at quarter size): ~0 for a frozen mouth. */
async function mouthSpread(file: string, p: PreparedAvatar): Promise<number> {
  const d = await decodeQuarterGray(ffmpeg, file, p.width, p.height, 25);
  const mb = { x: Math.floor(p.mouthBox.x / 4), y: Math.floor(p.mouthBox.y / 4), w: Math.ceil(p.mouthBox.w / 4), h: Math.ceil(p.mouthBox.h / 4) };
  const means = d.frames.map((f) => {
    let s = 0;
    for (let y = mb.y; y < mb.y + mb.h; y++) for (let x = mb.x; x < mb.x + mb.w; x++) s += f[y * d.w + x]!;
    return s / (mb.w * mb.h);
  });
  return Math.max(...means) - Math.min(...means);
}

describe('a render whose mouth does not move is never completed with a frozen face', () => {
  let a: Awaited<ReturnType<typeof setup>>;
  let b: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    a = await setup('first');
    b = await setup('always');
  });
  afterAll(async () => {
    for (const s of [a, b]) {
      await s?.worker.stop({ timeoutMs: 1000 });
      await s?.env.close();
    }
  });

  it('frozen on the first try: the gate catches it, the lips-only retry is completed, and its mouth moves', async () => {
    const v = await renderVideo(a.env);
    expect(v.error ?? null).toBeNull();
    expect(v.status).toBe('completed');
    const res = await a.env.request(`/api/v1/videos/${String(v.id)}/file`, { token: String(v.token) });
    expect(res.status).toBe(200);
    const file = path.join(a.env.dataDir, 'downloaded.mp4');
    await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
    expect(await mouthSpread(file, a.prepared)).toBeGreaterThan(3);
  });

  it('frozen on every try: the video fails with render_quality_failed and has no file', async () => {
    const v = await renderVideo(b.env);
    expect(v.status).toBe('failed');
    expect(v.error_code).toBe('render_quality_failed');
    expect(v.video_url ?? null).toBeNull();
    expect(String(v.error)).toMatch(/mouth/);
  });
});

import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, DEMO, type TestEnv } from './harness';
import { MemoryStore } from '@mvs/shared/api/key-value-store';
import { ApiClient, ApiError } from '@mvs/shared/api/api-client';
import { Session } from '@mvs/shared/api/session';
import { followVideo, type ProgressUpdate } from '@mvs/shared/api/video-progress';

let env: TestEnv;
let server: ServerType;
let base: string;

beforeAll(async () => {
  env = await createTestEnv('pglite', { startQueue: true });
  server = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await env.close();
});

const signedIn = async () => {
  const api = new ApiClient(base, new Session(new MemoryStore()));
  await api.login('user@demo.com', 'user123');
  return api;
};

describe('ApiClient against the real server', () => {
  it('signs in, and turns a wrong password into an ApiError with the server’s code', async () => {
    const api = new ApiClient(base, new Session(new MemoryStore()));
    const err = await api.login('user@demo.com', 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401 });
    expect((await (await signedIn()).me()).user.email).toBe('user@demo.com');
  });

  it('refreshes an expired access token once and carries on', async () => {
    const store = new MemoryStore();
    const api = new ApiClient(base, new Session(store));
    await api.login('user@demo.com', 'user123');
    const saved = JSON.parse((await store.get('session'))!) as { access: string; refresh: string };
    await store.set('session', JSON.stringify({ ...saved, access: 'expired', expiresAt: 0 }));
    const reopened = new ApiClient(base, new Session(store));
    await reopened.session.load();
    expect((await reopened.me()).user.email).toBe('user@demo.com');
    expect(JSON.parse((await store.get('session'))!).refresh).not.toBe(saved.refresh); // rotated
  });

  it.each([true, false])('follows a video to its end (stream: %s)', async (stream) => {
    const api = await signedIn();
    const video = await api.createVideo({ avatar_id: DEMO.avatarId, script: 'Hello Priya, here is the price you asked for.', renderer: 'static' });
    const updates: ProgressUpdate[] = [];
    const done = followVideo(api, video.id, (u) => updates.push(u), new AbortController().signal, { stream, pollMs: 100 });
    // No worker runs here, so the video waits in the queue until it is canceled.
    await new Promise((r) => setTimeout(r, 300));
    await api.call('POST', `/api/v1/videos/${video.id}/cancel`);
    const final = await done;
    expect(final).toMatchObject({ id: video.id, status: 'canceled' });
    expect(updates[0]).toMatchObject({ status: 'queued' });
  });
});

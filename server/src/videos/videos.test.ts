import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { newKey } from '../storage/storage';
import { streamVideoEvents } from './videos.events';

type Json = Record<string, unknown>;
const VI_SCRIPT = 'Xin chào anh Minh, cảm ơn anh đã dành thời gian cho cuộc gọi hôm nay.';

describeEachBackend('videos API', (backend) => {
  let env: TestEnv;
  let admin: string, user: string, viewer: string, other: string;
  let tenantId: string, noPhotoAvatar: string, noConsentAvatar: string, otherAvatar: string;

  const post = (path: string, token: string, body?: unknown) =>
    env.request(path, { method: 'POST', token, ...(body === undefined ? {} : jsonBody(body)) });
  const create = (token: string, body: Json = {}) => post('/api/v1/videos', token, { avatar_id: DEMO.avatarId, script: 'Hello there', ...body });
  const code = async (r: Response) => ((await r.json()) as { code: string }).code;

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true });
    const db = env.container.db;
    [admin, user] = await Promise.all([env.login(DEMO.admin.email, DEMO.admin.password), env.login(DEMO.user.email, DEMO.user.password)]);
    const invite = await post('/api/v1/users', admin, { email: 'viewer@demo.com', role: 'viewer', password: 'Viewer123' });
    expect(invite.status).toBe(201);
    viewer = await env.login('viewer@demo.com', 'Viewer123');
    const reg = await post('/api/v1/auth/register', '', { tenant_name: 'Other', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' });
    other = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;

    const t = await db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow();
    tenantId = t.id;
    const owner = await db.selectFrom('users').select('id').where('email', '=', DEMO.admin.email).executeTakeFirstOrThrow();
    const consent = JSON.stringify({ by: owner.id, at: new Date().toISOString(), statement: 'test' });
    const mk = async (tenant: string, ownerId: string, patch: Json) =>
      (await db.insertInto('avatars').values({ tenant_id: tenant, owner_id: ownerId, name: 'A', updated_at: new Date(), consent: null, ...patch }).returning('id').executeTakeFirstOrThrow()).id;
    noPhotoAvatar = await mk(tenantId, owner.id, { consent });
    noConsentAvatar = await mk(tenantId, owner.id, { photo_key: `${tenantId}/avatars/x.jpg`, status: 'ready' });
    const ot = await db.selectFrom('users').select(['id', 'tenant_id']).where('email', '=', 'boss@other.example').executeTakeFirstOrThrow();
    otherAvatar = await mk(ot.tenant_id, ot.id, { photo_key: `${ot.tenant_id}/avatars/y.jpg`, consent, status: 'ready' });
  });
  afterAll(() => env.close());

  it('queues a video with 202, detects Vietnamese, picks static for an unprepared avatar, and enqueues a render job', async () => {
    const res = await create(user, { script: `  ${VI_SCRIPT}  `, title: 'Chào' });
    expect(res.status).toBe(202);
    const v = (await res.json()) as Json;
    expect(v).toMatchObject({ status: 'queued', progress: 0, language: 'vi', renderer: 'static', format: 'portrait', script: VI_SCRIPT });
    expect(v.slug).toMatch(/^[\w-]{22}$/);
    expect(v.watch_url).toBe(`http://localhost:3000/v/${String(v.slug)}`);
    expect(v.video_url).toBeNull();
    const job = await env.container.db
      .selectFrom('pgboss.job' as never)
      .select(['name' as never, 'data' as never])
      .execute();
    expect(job).toContainEqual({ name: 'render-video', data: { videoId: v.id, tenantId } });
  });

  it('accepts the trailing-slash path and an explicit language', async () => {
    const res = await post('/api/v1/videos/', admin, { avatar_id: DEMO.avatarId, script: VI_SCRIPT, language: 'en' });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Json).language).toBe('en');
  });

  it('refuses an empty script with 422 script_empty; accepts exactly 100,000 characters and refuses one more with 422 script_too_long', async () => {
    const empty = await create(user, { script: '   \n ' });
    expect(empty.status).toBe(422);
    expect(await code(empty)).toBe('script_empty');
    const long = await create(user, { script: 'a'.repeat(100_001) });
    expect(long.status).toBe(422);
    const body = (await long.json()) as { code: string; message: string };
    expect(body.code).toBe('script_too_long');
    expect(body.message).toMatch(/100001.*100000/);
    // The documented maximum, in Vietnamese (three UTF-8 bytes a character, 300 KB of JSON), is accepted.
    expect((await create(user, { script: 'ầ'.repeat(100_000) })).status).toBe(202);
    expect((await create(user, { script: 'b'.repeat(100_000) })).status).toBe(202);
  });

  it('answers 404 for an unknown or foreign avatar and 422 for one that cannot render', async () => {
    expect((await create(user, { avatar_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await create(user, { avatar_id: otherAvatar })).status).toBe(404);
    const noPhoto = await create(user, { avatar_id: noPhotoAvatar });
    expect(noPhoto.status).toBe(422);
    const np = (await noPhoto.json()) as { code: string; message: string };
    expect(np.code).toBe('avatar_not_ready');
    expect(np.message).toMatch(/upload-photo/);
    const noConsent = await create(user, { avatar_id: noConsentAvatar });
    expect(await code(noConsent)).toBe('consent_required');
    const photo = await create(user, { renderer: 'photo' });
    expect(photo.status).toBe(422);
    expect(await code(photo)).toBe('avatar_not_ready');
    const heygen = await create(user, { renderer: 'heygen' });
    expect(await code(heygen)).toBe('renderer_unavailable');
  });

  it('lists newest first with pagination and status/avatar filters; users see only their own videos', async () => {
    const mine = (await (await env.request('/api/v1/videos?page_size=100', { token: user })).json()) as { items: Json[]; total: number };
    const all = (await (await env.request('/api/v1/videos/?page_size=100', { token: admin })).json()) as { items: Json[]; total: number };
    expect(all.total).toBeGreaterThan(mine.total);
    expect(mine.items.every((v) => all.items.some((a) => a.id === v.id))).toBe(true);
    const times = all.items.map((v) => Date.parse(String(v.created_at)));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const page2 = (await (await env.request('/api/v1/videos?page=2&page_size=1', { token: admin })).json()) as { items: Json[]; page: number };
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]!.id).toBe(all.items[1]!.id);
    const byAvatar = (await (await env.request(`/api/v1/videos?avatar_id=${noPhotoAvatar}`, { token: admin })).json()) as { total: number };
    expect(byAvatar.total).toBe(0);
    const done = (await (await env.request('/api/v1/videos?status=completed', { token: admin })).json()) as { total: number };
    expect(done.total).toBe(0);
    const viewerList = (await (await env.request('/api/v1/videos', { token: viewer })).json()) as { total: number };
    expect(viewerList.total).toBe(all.total);
    const bad = await env.request('/api/v1/videos?status=nope', { token: admin });
    expect(bad.status).toBe(422);
  });

  it("hides another user's video from a user (404) but shows it to an admin", async () => {
    const v = (await (await create(admin)).json()) as Json;
    expect((await env.request(`/api/v1/videos/${String(v.id)}`, { token: user })).status).toBe(404);
    expect((await env.request(`/api/v1/videos/${String(v.id)}`, { token: admin })).status).toBe(200);
  });

  it('cancels a queued video, stays canceled on a second cancel, and refuses to cancel a failed one with 409', async () => {
    const v = (await (await create(user)).json()) as Json;
    const c1 = await post(`/api/v1/videos/${String(v.id)}/cancel`, user);
    expect(c1.status).toBe(200);
    expect(((await c1.json()) as Json).status).toBe('canceled');
    expect(((await (await post(`/api/v1/videos/${String(v.id)}/cancel`, user)).json()) as Json).status).toBe('canceled');
    const f = (await (await create(user)).json()) as Json;
    await env.container.videosRepo.transition(tenantId, String(f.id), ['queued'], { status: 'failed', error: 'x' });
    const c3 = await post(`/api/v1/videos/${String(f.id)}/cancel`, user);
    expect(c3.status).toBe(409);
    expect(await code(c3)).toBe('invalid_state');
  });

  it('deletes a video: 204, then 404, hidden from the list, its stored files removed', async () => {
    const v = (await (await create(user)).json()) as Json;
    const id = String(v.id);
    const key = newKey(tenantId, 'videos', 'mp4');
    await env.container.storage.put(key, Buffer.from('0123456789'), 'video/mp4');
    await env.container.videosRepo.transition(tenantId, id, ['queued'], { status: 'completed', video_key: key });
    const part = await env.request(`/api/v1/videos/${id}/file`, { token: user, headers: { range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('2345');
    expect((await env.request(`/api/v1/videos/${id}`, { method: 'DELETE', token: user })).status).toBe(204);
    expect((await env.request(`/api/v1/videos/${id}`, { token: user })).status).toBe(404);
    const list = (await (await env.request('/api/v1/videos?page_size=100', { token: admin })).json()) as { items: Json[] };
    expect(list.items.some((x) => x.id === id)).toBe(false);
    expect(await env.container.storage.stat(key)).toBeNull();
  });

  it('answers 404 video_not_ready for files of a video still queued', async () => {
    const v = (await (await create(user)).json()) as Json;
    for (const f of ['file', 'poster', 'gif']) {
      const r = await env.request(`/api/v1/videos/${String(v.id)}/${f}`, { token: user });
      expect(r.status).toBe(404);
      expect(await code(r)).toBe('video_not_ready');
    }
  });

  it('lets a viewer read but answers 403 on create, cancel and delete', async () => {
    const v = (await (await create(user)).json()) as Json;
    const id = String(v.id);
    expect((await env.request(`/api/v1/videos/${id}`, { token: viewer })).status).toBe(200);
    expect((await create(viewer)).status).toBe(403);
    expect((await post(`/api/v1/videos/${id}/cancel`, viewer)).status).toBe(403);
    expect((await env.request(`/api/v1/videos/${id}`, { method: 'DELETE', token: viewer })).status).toBe(403);
  });

  it("answers 404 to another tenant on every video route and never lists the other tenant's videos", async () => {
    const v = (await (await create(user)).json()) as Json;
    const id = String(v.id);
    const routes: [string, string][] = [
      ['GET', `/api/v1/videos/${id}`], ['POST', `/api/v1/videos/${id}/cancel`], ['DELETE', `/api/v1/videos/${id}`],
      ['GET', `/api/v1/videos/${id}/file`], ['GET', `/api/v1/videos/${id}/poster`], ['GET', `/api/v1/videos/${id}/gif`],
      ['GET', `/api/v1/videos/${id}/events`],
    ];
    for (const [method, path] of routes) {
      const r = await env.request(path, { method, token: other });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(await code(r)).toBe('not_found');
    }
    const list = (await (await env.request('/api/v1/videos', { token: other })).json()) as { total: number };
    expect(list.total).toBe(0);
    expect((await env.request(`/api/v1/videos/${id}`, { token: user })).status).toBe(200); // still there
  });

  it('refuses a non-http CTA link with 422 and an unknown recording with 404', async () => {
    const cta = await create(user, { cta_url: 'javascript:alert(1)' });
    expect(cta.status).toBe(422);
    expect(((await cta.json()) as { message: string }).message).toMatch(/cta_url/);
    expect((await create(user, { cta_url: 'https://example.com/book' })).status).toBe(202);
    expect((await create(user, { recording_id: '00000000-0000-4000-8000-000000000001' })).status).toBe(404);
  });

  it('keeps an idle SSE stream open with heartbeat comments while the video waits', async () => {
    const v = (await (await create(user)).json()) as Json;
    const owner = await env.container.db.selectFrom('videos').select(['owner_id', 'tenant_id']).where('id', '=', String(v.id)).executeTakeFirstOrThrow();
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('container', env.container);
      await next();
    });
    const p = { userId: owner.owner_id, tenantId: owner.tenant_id, role: 'user' as const };
    app.get('/e', (c) => streamVideoEvents(c, p, String(v.id), { pollMs: 40, heartbeatMs: 150 }));
    const ac = new AbortController();
    const res = await app.request('/e', { signal: ac.signal });
    const reader = res.body!.getReader();
    let text = '';
    const end = Date.now() + 700;
    while (Date.now() < end) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    await reader.cancel();
    expect(text.match(/event: progress/g)).toHaveLength(1); // queued, unchanged: one event only
    expect((text.match(/: keep-alive\n\n/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('answers 401 without a token', async () => {
    expect((await env.request('/api/v1/videos')).status).toBe(401);
  });

  it('streams progress then done over SSE, authorised by ?access_token=', async () => {
    const v = (await (await create(user)).json()) as Json;
    const id = String(v.id);
    await post(`/api/v1/videos/${id}/cancel`, user);
    const res = await env.request(`/api/v1/videos/${id}/events?access_token=${user}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/event: progress\ndata: \{"status":"canceled"/);
    const done = /event: done\ndata: (.*)\n/.exec(text);
    expect(JSON.parse(done![1]!)).toMatchObject({ id, status: 'canceled' });
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { solid, upload, wavTone } from '../../test/fixtures/images/media';
import { seedDemo } from '../seed';

interface AvatarJson {
  id: string;
  name: string;
  status: string;
  owner_id: string;
  photo_url: string | null;
  consent: { by: string; statement: string } | null;
  ready_renderers: string[];
  language: string;
  voice_settings: Record<string, unknown>;
}
const CONSENT = { statement: 'I am the person in this photo and agree to AI-generated videos of me.', confirmed: true };

describeEachBackend('avatars API', (backend) => {
  let env: TestEnv;
  let admin: string;
  let user: string;
  let viewer: string;
  let other: string;
  let theirs: string;
  let photo: Buffer;

  const call = (path: string, token: string, init: RequestInit = {}) => env.request(path, { ...init, token });
  const create = async (token: string, name: string) => {
    const res = await call('/api/v1/avatars', token, { method: 'POST', ...jsonBody({ name }) });
    expect(res.status).toBe(201);
    return (await res.json()) as AvatarJson;
  };
  const preparedJobs = async (avatarId: string) => {
    const r = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'prepare-avatar' and data->>'avatarId' = ${avatarId}`.execute(env.container.db);
    return Number(r.rows[0]!.n);
  };

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true });
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const inv = await call('/api/v1/users', admin, { method: 'POST', ...jsonBody({ email: 'viewer@demo.com', role: 'viewer', password: 'Vi3wer1234' }) });
    expect(inv.status).toBe(201);
    viewer = await env.login('viewer@demo.com', 'Vi3wer1234');
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    other = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
    theirs = (await create(other, 'Their secret avatar')).id;
    photo = await solid(320, 400, 'jpeg');
  });
  afterAll(() => env.close());

  it('creates, reads, renames and deletes an avatar, on /avatars and /avatars/', async () => {
    const a = await create(user, 'Lan');
    expect(a).toMatchObject({ name: 'Lan', status: 'draft', photo_url: null, consent: null, ready_renderers: [], language: 'en' });
    const b = await call('/api/v1/avatars/', user, { method: 'POST', ...jsonBody({ name: 'Lan 2', language: 'vi', voice_settings: { rate: 1.2 } }) });
    expect(b.status).toBe(201);
    const bj = (await b.json()) as AvatarJson;
    expect(bj).toMatchObject({ language: 'vi', voice_settings: { rate: 1.2 } });
    for (const path of ['/api/v1/avatars', '/api/v1/avatars/']) {
      const list = (await (await call(`${path}?page_size=100`, viewer)).json()) as { items: AvatarJson[]; total: number };
      expect(list.items.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, bj.id, DEMO.avatarId]));
      expect(list.items.map((x) => x.id)).not.toContain(theirs);
    }
    const renamed = await call(`/api/v1/avatars/${a.id}`, user, { method: 'PATCH', ...jsonBody({ name: 'Lan (office)' }) });
    expect(((await renamed.json()) as AvatarJson).name).toBe('Lan (office)');
    expect(((await (await call(`/api/v1/avatars/${a.id}`, viewer)).json()) as AvatarJson).name).toBe('Lan (office)');
    expect((await call(`/api/v1/avatars/${a.id}`, user, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/api/v1/avatars/${a.id}`, user)).status).toBe(404);
  });

  it('refuses an empty name with 422 validation_failed', async () => {
    const res = await call('/api/v1/avatars', user, { method: 'POST', ...jsonBody({ name: '  ' }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('validation_failed');
  });

  it("answers 404 for another tenant's avatar on every avatar route, never its data", async () => {
    const requests: [string, RequestInit][] = [
      ['', {}],
      ['', { method: 'PATCH', ...jsonBody({ name: 'mine now' }) }],
      ['', { method: 'DELETE' }],
      ['/upload-photo', upload('photo', photo, 'me.jpg', 'image/jpeg')],
      ['/upload-voice', upload('voice', wavTone(1), 'me.wav', 'audio/wav')],
      ['/consent', { method: 'POST', ...jsonBody(CONSENT) }],
      ['/generate', { method: 'POST' }],
      ['/photo', {}],
    ];
    for (const [suffix, init] of requests) {
      const res = await call(`/api/v1/avatars/${theirs}${suffix}`, admin, init);
      expect(res.status, `${init.method ?? 'GET'} ${suffix}`).toBe(404);
      const text = await res.text();
      expect(text).not.toContain('Their secret avatar');
      expect((JSON.parse(text) as { message: string }).message).toBe(`Avatar ${theirs}: not found`); // not a missing route
    }
    const still = (await (await call(`/api/v1/avatars/${theirs}`, other)).json()) as AvatarJson;
    expect(still.name).toBe('Their secret avatar');
  });

  it('answers 403 to a viewer on every avatar write route, and lets the viewer read', async () => {
    const mine = await create(admin, 'Admin avatar');
    const requests: [string, string, RequestInit][] = [
      ['/api/v1/avatars', '', { method: 'POST', ...jsonBody({ name: 'x' }) }],
      ['/api/v1/avatars/', '', { method: 'POST', ...jsonBody({ name: 'x' }) }],
      [`/api/v1/avatars/${mine.id}`, '', { method: 'PATCH', ...jsonBody({ name: 'x' }) }],
      [`/api/v1/avatars/${mine.id}`, '', { method: 'DELETE' }],
      [`/api/v1/avatars/${mine.id}`, '/upload-photo', upload('photo', photo, 'me.jpg', 'image/jpeg')],
      [`/api/v1/avatars/${mine.id}`, '/upload-voice', upload('voice', wavTone(1), 'me.wav', 'audio/wav')],
      [`/api/v1/avatars/${mine.id}`, '/consent', { method: 'POST', ...jsonBody(CONSENT) }],
      [`/api/v1/avatars/${mine.id}`, '/generate', { method: 'POST' }],
    ];
    for (const [path, suffix, init] of requests) {
      const res = await call(`${path}${suffix}`, viewer, init);
      expect(res.status, `${init.method} ${path}${suffix}`).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('forbidden');
    }
    expect((await call(`/api/v1/avatars/${mine.id}`, viewer)).status).toBe(200);
    expect(((await (await call(`/api/v1/avatars/${mine.id}`, admin)).json()) as AvatarJson).name).toBe('Admin avatar');
  });

  it("answers 403 to a user changing someone else's avatar; an admin manages any avatar in the tenant", async () => {
    const adminOwned = await create(admin, 'Owned by admin');
    for (const [suffix, init] of [
      ['', { method: 'PATCH', ...jsonBody({ name: 'taken' }) }],
      ['', { method: 'DELETE' }],
      ['/upload-photo', upload('photo', photo, 'me.jpg', 'image/jpeg')],
      ['/consent', { method: 'POST', ...jsonBody(CONSENT) }],
      ['/generate', { method: 'POST' }],
    ] as [string, RequestInit][]) {
      expect((await call(`/api/v1/avatars/${adminOwned.id}${suffix}`, user, init)).status).toBe(403);
    }
    const userOwned = await create(user, 'Owned by user');
    const res = await call(`/api/v1/avatars/${userOwned.id}`, admin, { method: 'PATCH', ...jsonBody({ name: 'Fixed by admin' }) });
    expect(res.status).toBe(200);
  });

  it('generate needs a photo (422 no_photo) and a consent (422 consent_required), then queues preparation with 202', async () => {
    const a = await create(user, 'Ready soon');
    const noPhoto = await call(`/api/v1/avatars/${a.id}/generate`, user, { method: 'POST' });
    expect(noPhoto.status).toBe(422);
    expect(((await noPhoto.json()) as { code: string }).code).toBe('no_photo');
    const up = await call(`/api/v1/avatars/${a.id}/upload-photo`, user, upload('photo', photo, 'me.jpg', 'image/jpeg'));
    expect(up.status).toBe(200);
    expect(await preparedJobs(a.id)).toBe(1);
    const noConsent = await call(`/api/v1/avatars/${a.id}/generate`, user, { method: 'POST' });
    expect(noConsent.status).toBe(422);
    expect(((await noConsent.json()) as { code: string }).code).toBe('consent_required');
    expect(((await (await call(`/api/v1/avatars/${a.id}`, user)).json()) as AvatarJson).ready_renderers).toEqual([]);

    const badConsent = await call(`/api/v1/avatars/${a.id}/consent`, user, { method: 'POST', ...jsonBody({ ...CONSENT, confirmed: false }) });
    expect(badConsent.status).toBe(422);
    const consent = await call(`/api/v1/avatars/${a.id}/consent`, user, { method: 'POST', ...jsonBody(CONSENT) });
    const withConsent = (await consent.json()) as AvatarJson;
    expect(withConsent.consent).toMatchObject({ statement: CONSENT.statement, by: withConsent.owner_id });
    expect(withConsent.ready_renderers).toEqual(['static']);

    const gen = await call(`/api/v1/avatars/${a.id}/generate`, user, { method: 'POST' });
    expect(gen.status).toBe(202);
    expect(((await gen.json()) as AvatarJson).status).toBe('processing');
    expect(await preparedJobs(a.id)).toBe(2);
  });

  it('documents the avatar routes in /openapi.json, uploads as multipart/form-data', async () => {
    const doc = (await (await env.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    for (const p of ['/api/v1/avatars/', '/api/v1/avatars/{id}', '/api/v1/avatars/{id}/consent', '/api/v1/avatars/{id}/generate', '/api/v1/avatars/{id}/photo']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(Object.keys(doc.paths['/api/v1/avatars/{id}/upload-photo']!.post!.requestBody!.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(doc.paths['/api/v1/avatars/{id}/upload-voice']!.post!.requestBody!.content)).toEqual(['multipart/form-data']);
  });

  it('seeds the Demo Avatar idempotently: photo stored, consent recorded, renderable by static', async () => {
    const demo = (await (await call(`/api/v1/avatars/${DEMO.avatarId}`, user)).json()) as AvatarJson & { photo_width: number };
    expect(demo).toMatchObject({ name: 'Demo Avatar', photo_width: 512, ready_renderers: ['static'] });
    expect(demo.consent?.statement).toMatch(/public-domain/i);
    const photoRes = await call(`/api/v1/avatars/${DEMO.avatarId}/photo`, viewer);
    expect(photoRes.status).toBe(200);
    expect(photoRes.headers.get('content-type')).toBe('image/png');
    const row1 = await env.container.db.selectFrom('avatars').select(['photo_key', 'tenant_id']).where('id', '=', DEMO.avatarId).executeTakeFirstOrThrow();
    await seedDemo(env.container); // the queue runs now, so the second seeding queues the demo's preparation
    const row2 = await env.container.avatars.get(row1.tenant_id, DEMO.avatarId);
    expect(row2?.photo_key).toBe(row1.photo_key);
    expect(await preparedJobs(DEMO.avatarId)).toBe(1);
  });
});

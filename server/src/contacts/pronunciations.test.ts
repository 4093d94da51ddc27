import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachBackend('pronunciation lexicon', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  let user: string;
  let viewer: string;
  let other: string;
  let tenantId: string;

  const call = async (method: string, p: string, token: string, body?: unknown) => {
    const res = await env.request(p, { method, token, ...(body === undefined ? {} : jsonBody(body)) });
    return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Json };
  };
  /** The real speech path (lexicon from the database, espeak-ng): the phoneme sequence and duration it speaks. */
  const speak = async (script: string, language: 'en' | 'vi', options: Record<string, unknown> = {}) => {
    const avatar = await env.container.db.selectFrom('avatars').select(['id', 'voice_settings', 'voice_key', 'provider_ids']).where('id', '=', DEMO.avatarId).executeTakeFirstOrThrow();
    const s = await env.container.speech.resolveSpeech({
      tenantId,
      video: { script, language, options },
      avatar,
      workDir: await fs.mkdtemp(path.join(env.dataDir, 'speech-')),
    });
    return { phonemes: (s.marks ?? []).filter((m) => m.kind === 'phoneme').map((m) => m.value).join(' '), seconds: s.durationSec };
  };

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true });
    worker = await startWorker(env.container, { concurrency: 1, pollingIntervalSeconds: 0.5 });
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    await call('POST', '/api/v1/users', admin, { email: 'viewer-lex@demo.com', password: 'Viewer123', role: 'viewer' });
    viewer = await env.login('viewer-lex@demo.com', 'Viewer123');
    await call('POST', '/api/v1/auth/register', '', { tenant_name: 'Other', domain: 'other-lex.example', email: 'o@other-lex.example', password: 'Sup3rSecret!' });
    other = await env.login('o@other-lex.example', 'Sup3rSecret!');
    tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', DEMO.tenant.domain).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
  });

  it('manages entries: NFC words, one per word and language (case-insensitive), viewers read only, workspaces apart', async () => {
    const created = await call('POST', '/api/v1/pronunciations', user, { word: 'Phượng'.normalize('NFD'), say_as: 'Fuong', language: 'en' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ word: 'Phượng', say_as: 'Fuong', language: 'en' });
    expect((await call('POST', '/api/v1/pronunciations', user, { word: 'PHƯỢNG', say_as: 'x', language: 'en' })).status).toBe(409);
    expect((await call('POST', '/api/v1/pronunciations', user, { word: 'Phượng', say_as: 'Phượng', language: 'vi' })).status).toBe(201);
    expect((await call('POST', '/api/v1/pronunciations', user, { word: '!!', say_as: 'x' })).status).toBe(422);
    const vi = await call('GET', '/api/v1/pronunciations?language=vi', viewer);
    expect(vi.body.items.map((e: Json) => e.language)).toEqual(['vi']);
    expect((await call('PATCH', `/api/v1/pronunciations/${created.body.id}`, user, { say_as: 'Foong' })).body.say_as).toBe('Foong');
    expect((await call('PATCH', `/api/v1/pronunciations/${created.body.id}`, viewer, { say_as: 'x' })).status).toBe(403);
    expect((await call('POST', '/api/v1/pronunciations', viewer, { word: 'v', say_as: 'x' })).status).toBe(403);
    expect((await call('GET', `/api/v1/pronunciations/${created.body.id}`, other)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/pronunciations/${created.body.id}`, other)).status).toBe(404);
    const tried = await call('POST', '/api/v1/pronunciations/spoken-text', viewer, { text: 'Chị Phượng ơi', language: 'en' });
    expect(tried.body).toEqual({ text: 'Chị Phượng ơi', spoken: 'Chị Foong ơi', replaced: [{ word: 'Phượng', say_as: 'Foong', count: 1 }] });
    expect((await call('POST', '/api/v1/pronunciations/spoken-text', other, { text: 'Chị Phượng ơi', language: 'en' })).body.spoken).toBe('Chị Phượng ơi');
    for (const [method, path, body] of [
      ['POST', '/api/v1/pronunciations', { word: 'v', say_as: 'x' }],
      ['PATCH', `/api/v1/pronunciations/${created.body.id}`, { say_as: 'x' }],
      ['DELETE', `/api/v1/pronunciations/${created.body.id}`],
    ] as const) {
      expect(`${method} ${path} ${(await call(method, path, viewer, body)).status}`).toBe(`${method} ${path} 403`);
    }
    for (const [method, path, body] of [
      ['GET', `/api/v1/pronunciations/${created.body.id}`],
      ['PATCH', `/api/v1/pronunciations/${created.body.id}`, { say_as: 'x' }],
      ['DELETE', `/api/v1/pronunciations/${created.body.id}`],
    ] as const) {
      expect(`${method} ${path} ${(await call(method, path, other, body)).status}`).toBe(`${method} ${path} 404`);
    }
    expect((await call('GET', '/api/v1/pronunciations', other)).body.items).toEqual([]);
    expect((await call('GET', '/api/v1/pronunciations', '')).status).toBe(401);
    expect((await call('DELETE', `/api/v1/pronunciations/${created.body.id}`, user)).status).toBe(204);
  });

  it('makes espeak-ng say the lexicon entry: the audio is the say-as word, other languages and words are untouched', async () => {
    const plain = await speak('Hello Nguyễn, thanks for calling.', 'en');
    const asWin = await speak('Hello Win, thanks for calling.', 'en');
    expect(plain.phonemes).not.toBe(asWin.phonemes);

    await call('POST', '/api/v1/pronunciations', user, { word: 'Nguyễn', say_as: 'Win', language: 'en' });
    const withLexicon = await speak('Hello NGUYỄN, thanks for calling.', 'en');
    expect(withLexicon.phonemes).toBe(asWin.phonemes);
    expect(withLexicon.seconds).toBeCloseTo(asWin.seconds, 2);
    // An English entry leaves Vietnamese speech alone.
    expect((await speak('Chào anh Nguyễn.', 'vi')).phonemes).toBe((await speak('Chào anh Nguyễn.', 'vi', { pronunciations: {} })).phonemes);
    expect((await speak('Chào anh Nguyễn.', 'vi')).phonemes).not.toBe((await speak('Chào anh Win.', 'vi')).phonemes);

    // A video's own pronunciations (a contact's, set by campaigns) win over the lexicon.
    const own = await speak('Hello Nguyễn, thanks for calling.', 'en', { pronunciations: { Nguyễn: 'Newen' } });
    expect(own.phonemes).toBe((await speak('Hello Newen, thanks for calling.', 'en')).phonemes);
  });

  it('renders a video whose audio says the lexicon word while its script, the transcript, keeps the spelling', async () => {
    await call('POST', '/api/v1/pronunciations', user, { word: 'MVS', say_as: 'Mail Video Service', language: 'en' });
    const script = 'MVS, meet the MVS team. MVS is here.';
    const created = await call('POST', '/api/v1/videos/', user, { avatar_id: DEMO.avatarId, script, language: 'en', renderer: 'static' });
    expect(created.status).toBe(202);
    let video: Json = {};
    for (let i = 0; i < 300 && video.status !== 'completed' && video.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      video = (await call('GET', `/api/v1/videos/${created.body.id}`, user)).body;
    }
    expect(video.status).toBe('completed');
    expect(video.script).toBe(script);
    const spoken = await speak('Mail Video Service, meet the Mail Video Service team. Mail Video Service is here.', 'en');
    const raw = await speak(script, 'en', { pronunciations: { MVS: 'MVS' } });
    // The video is as long as the say-as speech, not as the letters M, V, S.
    expect(Math.abs(Number(video.duration_sec) - spoken.seconds)).toBeLessThan(0.15);
    expect(Math.abs(raw.seconds - spoken.seconds)).toBeGreaterThan(0.3);
    const watch = await env.request(`/v/${video.slug ?? String(video.watch_url).split('/v/')[1]}`);
    expect(await watch.text()).toContain(script);
  });
});

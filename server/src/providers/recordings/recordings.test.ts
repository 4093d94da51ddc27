import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeAudio } from '../../../test/audio-fixtures';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../../test/harness';
import { AppError } from '../../errors';
import { decodeWav } from '../wav';

interface RecordingBody {
  id: string;
  duration_sec: number;
  mime: string;
  code?: string;
  message?: string;
}

describeEachBackend('recordings', (backend) => {
  let env: TestEnv;
  let token: string;
  let otherToken: string;
  let tenantId: string;
  let otherTenantId: string;

  const upload = async (bytes: Buffer | null, tok = token, field = 'audio') => {
    const form = new FormData();
    if (bytes) form.set(field, new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), 'clip.bin');
    const res = await env.request('/api/v1/recordings', { method: 'POST', body: form, token: tok });
    return { status: res.status, body: (await res.json()) as RecordingBody };
  };

  beforeAll(async () => {
    env = await createTestEnv(backend);
    token = await env.login(DEMO.user.email, DEMO.user.password);
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    otherToken = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
    tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow()).id;
    otherTenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'other.example').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => env.close());

  it('stores a WAV recording and answers its measured duration', async () => {
    const r = await upload(await makeAudio('wav', 1.5));
    expect(r.status).toBe(201);
    expect(r.body.duration_sec).toBeCloseTo(1.5, 2);
    expect(r.body.mime).toBe('audio/wav');
    const got = await env.request(`/api/v1/recordings/${r.body.id}`, { token });
    expect(got.status).toBe(200);
  });

  it('recognises MP3, M4A, OGG and browser-style WebM by content, whatever the declared type', async () => {
    for (const [fmt, mime] of [['mp3', 'audio/mpeg'], ['m4a', 'audio/mp4'], ['ogg', 'audio/ogg'], ['webm', 'audio/webm']] as const) {
      const r = await upload(await makeAudio(fmt, 1));
      expect(r.status, fmt).toBe(201);
      expect(r.body.mime).toBe(mime);
      expect(r.body.duration_sec).toBeGreaterThan(0.9);
      expect(r.body.duration_sec).toBeLessThan(1.2);
    }
  });

  it('refuses a file that is not audio with 415 unsupported_file_type', async () => {
    const r = await upload(Buffer.from('%PDF-1.7\n' + 'x'.repeat(200)));
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('unsupported_file_type');
  });

  it('refuses more than 10 MB with 413 file_too_large', async () => {
    const big = Buffer.concat([await makeAudio('wav', 0.1), Buffer.alloc(10 * 1024 * 1024 + 1)]);
    const r = await upload(big);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('file_too_large');
  });

  it('refuses a WAV without playable audio with 422 unreadable_file', async () => {
    const junk = Buffer.alloc(8);
    const broken = Buffer.concat([Buffer.from('RIFF'), Buffer.from([100, 0, 0, 0]), Buffer.from('WAVEjunk'), Buffer.from([8, 0, 0, 0]), junk]);
    const r = await upload(broken);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('unreadable_file');
  });

  it('refuses an upload without the audio field with 422 missing_file', async () => {
    const r = await upload(await makeAudio('wav', 0.5), token, 'voice');
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('missing_file');
  });

  it("hides one tenant's recording from another with 404, in the API and when rendering", async () => {
    const mine = await upload(await makeAudio('wav', 1));
    const theirs = await env.request(`/api/v1/recordings/${mine.body.id}`, { token: otherToken });
    expect(theirs.status).toBe(404);
    const del = await env.request(`/api/v1/recordings/${mine.body.id}`, { method: 'DELETE', token: otherToken });
    expect(del.status).toBe(404);
    const workDir = await fs.mkdtemp(path.join(env.dataDir, 'work-'));
    const err = await env.container.speech
      .resolveSpeech({
        tenantId: otherTenantId,
        video: { script: 'x', language: 'en', options: { recording_id: mine.body.id } },
        avatar: { id: DEMO.avatarId, voice_settings: {}, voice_key: null, provider_ids: {} },
        workDir,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(404);
  });

  it('gives renderers the recording as mono 16-bit WAV instead of TTS', async () => {
    const rec = await upload(await makeAudio('webm', 2));
    const workDir = await fs.mkdtemp(path.join(env.dataDir, 'work-'));
    const speech = await env.container.speech.resolveSpeech({
      tenantId,
      video: { script: 'This text must not be spoken.', language: 'en', options: { recording_id: rec.body.id } },
      avatar: { id: DEMO.avatarId, voice_settings: {}, voice_key: null, provider_ids: {} },
      workDir,
    });
    expect(speech.source).toBe('recording');
    expect(speech.marks).toBeUndefined();
    const wav = decodeWav(await fs.readFile(speech.wavPath));
    expect(wav.sampleRate).toBe(24_000);
    expect(speech.durationSec).toBeCloseTo(2, 1);
    expect(speech.durationSec).toBeCloseTo(rec.body.duration_sec, 1);
  });

  it('deletes a recording for its owner; afterwards it is gone', async () => {
    const rec = await upload(await makeAudio('wav', 0.5));
    expect((await env.request(`/api/v1/recordings/${rec.body.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await env.request(`/api/v1/recordings/${rec.body.id}`, { token })).status).toBe(404);
  });
});

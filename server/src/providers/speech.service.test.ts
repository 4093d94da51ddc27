import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeAudio } from '../../test/audio-fixtures';
import { startElevenLabsFake, type ElevenLabsFake } from '../../test/fakes/elevenlabs.fake';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { AppError } from '../errors';
import { createProviders } from './providers.wiring';
import { newKey } from '../storage/storage';

const KEY = 'xi-speech-test-key-5566778899';

describeEachBackend('resolveSpeech and ElevenLabs voice cloning', (backend) => {
  let fake: ElevenLabsFake;
  let env: TestEnv;
  let tenantId: string;

  const avatarRow = () =>
    env.container.db.selectFrom('avatars').select(['id', 'voice_settings', 'voice_key', 'provider_ids']).where('id', '=', DEMO.avatarId).executeTakeFirstOrThrow();
  const setVoiceSample = async (seconds: number) => {
    const bytes = await makeAudio('wav', seconds);
    const key = newKey(tenantId, 'voices', 'wav');
    await env.container.storage.put(key, bytes, 'audio/wav');
    await env.container.db.updateTable('avatars').set({ voice_key: key, voice_mime: 'audio/wav' }).where('id', '=', DEMO.avatarId).execute();
    return bytes.length;
  };
  const speak = async (options: Record<string, unknown>, script = 'Hi Priya, here is the quote.') =>
    env.container.speech.resolveSpeech({
      tenantId,
      video: { script, language: 'en', options },
      avatar: await avatarRow(),
      workDir: await fs.mkdtemp(path.join(env.dataDir, 'work-')),
    });

  beforeAll(async () => {
    fake = await startElevenLabsFake({ apiKey: KEY, msPerChar: 10 });
    env = await createTestEnv(backend, { env: { ELEVENLABS_API_KEY: KEY, ELEVENLABS_BASE_URL: fake.baseUrl } });
    tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await env.close();
    await fake.close();
  });

  it('speaks with espeak when neither the video nor the avatar picks an engine', async () => {
    const s = await speak({});
    expect(s.source).toBe('tts');
    expect(s.source === 'tts' && s.engine).toBe('espeak');
    expect(s.durationSec).toBeGreaterThan(0.5);
  });

  it("clones the avatar's voice sample once, stores the voice id on the avatar, and speaks with it", async () => {
    const bytes = await setVoiceSample(1);
    const s = await speak({ tts: { engine: 'elevenlabs' } });
    expect(fake.clones).toHaveLength(1);
    const clone = fake.clones[0]!;
    expect(clone.files).toEqual([{ name: 'sample.wav', type: 'audio/wav', bytes }]);
    expect(clone.name).toContain('Demo Avatar');
    const row = await avatarRow();
    expect(row.provider_ids.elevenlabs_voice_id).toBe(clone.voice_id);
    expect(fake.ttsRequests.at(-1)!.voiceId).toBe(clone.voice_id);
    expect(s.source === 'tts' && s.engine).toBe('elevenlabs');
    expect(s.marks!.some((m) => m.kind === 'word' && m.value === 'Priya,')).toBe(true);

    await speak({ tts: { engine: 'elevenlabs' } });
    expect(fake.clones).toHaveLength(1);
  });

  it('clones again when the avatar gets a new voice sample', async () => {
    const before = (await avatarRow()).provider_ids.elevenlabs_voice_id;
    await setVoiceSample(1.2);
    await speak({ tts: { engine: 'elevenlabs' } });
    const after = (await avatarRow()).provider_ids.elevenlabs_voice_id;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(fake.ttsRequests.at(-1)!.voiceId).toBe(after);
  });

  it("refuses to clone another tenant's avatar with 404 and leaves it untouched", async () => {
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Else', domain: 'else.example', email: 'a@else.example', password: 'Str0ngPass' }),
    });
    expect(reg.status).toBe(201);
    const other = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'else.example').executeTakeFirstOrThrow()).id;
    const before = (await avatarRow()).provider_ids;
    const err = await env.container.voiceCloner!.clone(other, DEMO.avatarId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(404);
    expect((await avatarRow()).provider_ids).toEqual(before);
  });

  it('fails a render-time ElevenLabs 401 with provider_auth_failed, so the job records a clear code', async () => {
    const config = { ...env.config, ELEVENLABS_API_KEY: 'xi-wrong', ELEVENLABS_VOICE_ID: 'anything' };
    const { speech } = createProviders(env.container.db, env.container.storage, env.container.audit, config, env.container.logger);
    const err = await speech
      .resolveSpeech({
        tenantId,
        video: { script: 'Hello.', language: 'en', options: { tts: { engine: 'elevenlabs' } } },
        avatar: { id: DEMO.avatarId, voice_settings: {}, voice_key: null, provider_ids: {} },
        workDir: env.dataDir,
      })
      .catch((e: unknown) => e);
    expect((err as AppError).code).toBe('provider_auth_failed');
  });
});

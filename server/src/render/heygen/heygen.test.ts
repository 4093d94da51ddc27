import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Selectable } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../../test/harness';
import type { VideosTable } from '../../db/tables/core';
import { AppError } from '../../errors';
import { resolveBinaries } from '../../media/binaries';
import { EspeakTts } from '../../media/espeak.tts';
import { runFfmpeg } from '../../media/ffmpeg.runner';
import { probeMedia } from '../../media/probe';
import { newKey } from '../../storage/storage';
import type { RenderRequest } from '../renderer';
import { ttsSpeech } from '../speech';
import { POSTER_MAX_BYTES } from '../thumbnails';
import { HeyGenClient } from './heygen.client';
import { startFakeHeyGen, type FakeHeyGen } from './heygen.fake';
import { HeyGenRenderer } from './heygen.renderer';
import { ProviderIdsRepository } from './provider-ids.repository';

const bins = resolveBinaries(process.env);
const KEY = 'hg-test-key';
/** Most tests speak with a HeyGen voice: no espeak/MP3 work, the HTTP paths are what they prove. */
const VOICE = { heygen_voice_id: 'voice-1' };
const PHOTO = path.resolve(__dirname, '../../../test/fixtures/faces/portrait-astronaut.png');

describeEachBackend('heygen renderer against a local fake HeyGen', (backend) => {
  let env: TestEnv;
  let fake: FakeHeyGen;
  let dir: string;
  let tenantId: string;
  let ownerId: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'heygen-test-'));
    // What HeyGen sends back: a 2 s 720x1280 H.264/AAC MP4 without faststart (we re-mux it).
    const mp4 = path.join(dir, 'heygen-result.mp4');
    await runFfmpeg(bins.ffmpeg!, ['-y', '-f', 'lavfi', '-i', 'testsrc=size=720x1280:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', mp4]);
    fake = await startFakeHeyGen({ apiKey: KEY, videoFile: await fs.readFile(mp4) });
    tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', DEMO.tenant.domain).executeTakeFirstOrThrow()).id;
    ownerId = (await env.container.db.selectFrom('users').select('id').where('email', '=', DEMO.admin.email).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await fake?.close();
    await env?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const renderer = (apiKey = KEY) =>
    new HeyGenRenderer({
      client: new HeyGenClient({ apiKey, apiBase: fake.url, uploadBase: fake.url, backoffMs: 5, attempts: 3 }),
      storage: env.container.storage,
      speech: ttsSpeech(new EspeakTts(bins.espeak)),
      binaries: bins,
      providerIds: new ProviderIdsRepository(env.container.db),
      log: env.container.logger,
      poll: { firstMs: 5, factor: 1, maxMs: 5, timeoutMs: 1000 },
    });

  async function avatar(providerIds: Record<string, string> = {}) {
    const key = newKey(tenantId, 'avatars', 'png');
    await env.container.storage.put(key, await fs.readFile(PHOTO), 'image/png');
    return env.container.db
      .insertInto('avatars')
      .values({ tenant_id: tenantId, owner_id: ownerId, name: 'HG', photo_key: key, photo_mime: 'image/png', status: 'ready', provider_ids: JSON.stringify(providerIds), updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async function request(a: Awaited<ReturnType<typeof avatar>>): Promise<RenderRequest> {
    const video = {
      id: crypto.randomUUID(), tenant_id: tenantId, owner_id: ownerId, avatar_id: a.id, title: 'Hello', script: 'Hi Priya, a quick hello.',
      language: 'en', renderer: 'heygen', format: 'portrait', status: 'rendering', progress: 0, stage: null, error: null, error_code: null,
      options: {}, video_key: null, poster_key: null, gif_key: null, duration_sec: null, width: null, height: null, video_bytes: null,
      poster_bytes: null, gif_bytes: null, slug: 'x', cta_label: null, cta_url: null, attempts: 0, created_at: new Date(), updated_at: new Date(),
      started_at: null, completed_at: null, deleted_at: null,
    } as Selectable<VideosTable>;
    const workDir = await fs.mkdtemp(path.join(dir, 'job-'));
    return { video, avatar: a, workDir, onProgress: () => {}, signal: new AbortController().signal };
  }
  const fresh = async (id: string) => env.container.db.selectFrom('avatars').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AppError);

  it('uploads the photo once, sends our speech as audio, polls, downloads and makes a faststart MP4 with thumbnails', async () => {
    const a = await avatar();
    const before = { tp: fake.count('POST', '/v1/talking_photo'), gen: fake.count('POST', '/v2/video/generate') };
    const req = await request(a);
    const out = await renderer().render(req);
    const info = await probeMedia(out.videoPath, bins.ffprobe!);
    expect(info).toMatchObject({ videoCodec: 'h264', width: 720, height: 1280, faststart: true });
    expect(Math.abs(out.durationSec - 2)).toBeLessThan(0.2);
    expect((await fs.stat(out.posterPath)).size).toBeLessThanOrEqual(POSTER_MAX_BYTES);
    expect((await fs.stat(out.gifPath)).size).toBeGreaterThan(1000);
    const gen = fake.requests.filter((r) => r.path === '/v2/video/generate').at(-1)!.body as { callback_id: string; dimension: object; video_inputs: Array<{ voice: { type: string; audio_asset_id: string } }> };
    expect(gen.callback_id).toBe(req.video.id);
    expect(gen.dimension).toEqual({ width: 720, height: 1280 });
    expect(gen.video_inputs[0]!.voice.type).toBe('audio');
    expect(fake.assets.get(gen.video_inputs[0]!.voice.audio_asset_id)).toBe('audio/mpeg');
    const ids = (await fresh(a.id)).provider_ids;
    expect(fake.talkingPhotos.has(ids.heygen_talking_photo_id!)).toBe(true);
    expect(ids.heygen_photo_key).toBe(a.photo_key);
    // A second video of the same avatar re-uses the talking photo.
    await renderer().render(await request(await fresh(a.id)));
    expect(fake.count('POST', '/v1/talking_photo') - before.tp).toBe(1);
    expect(fake.count('POST', '/v2/video/generate') - before.gen).toBe(2);
    expect(await env.container.storage.stat(`${tenantId}/heygen/${req.video.id}.json`)).toBeNull();
  });

  it('speaks with the HeyGen voice when the avatar has one, without uploading audio', async () => {
    const a = await avatar({ heygen_voice_id: 'voice-1' });
    const assets = fake.assets.size;
    await renderer().render(await request(a));
    const gen = fake.requests.filter((r) => r.path === '/v2/video/generate').at(-1)!.body as { video_inputs: Array<{ voice: object }> };
    expect(gen.video_inputs[0]!.voice).toEqual({ type: 'text', voice_id: 'voice-1', input_text: 'Hi Priya, a quick hello.' });
    expect(fake.assets.size).toBe(assets);
  });

  it('fails with 422 provider_auth_failed on a wrong API key, without retrying', async () => {
    const n = fake.requests.length;
    const err = await failure(renderer('wrong-key').render(await request(await avatar())));
    expect(err).toBeInstanceOf(AppError);
    expect([err.status, err.code]).toEqual([422, 'provider_auth_failed']);
    expect(fake.requests.length - n).toBe(1); // the photo upload, tried once
  });

  it('retries a 429 with backoff and succeeds', async () => {
    const n = fake.count('POST', '/v2/video/generate');
    fake.failNext('/v2/video/generate', 429, 2, '0');
    await renderer().render(await request(await avatar(VOICE)));
    expect(fake.count('POST', '/v2/video/generate') - n).toBe(3);
  });

  it('gives up on endless 429 with a retryable 429 provider_rate_limited', async () => {
    fake.failNext('/v2/video/generate', 429, 3, '0');
    const err = await failure(renderer().render(await request(await avatar(VOICE))));
    expect([err.status, err.code]).toEqual([429, 'provider_rate_limited']);
  });

  it('keeps the HeyGen job across a 5xx outage: the retried render resumes polling without a second generate', async () => {
    const req = await request(await avatar(VOICE));
    const n = fake.count('POST', '/v2/video/generate');
    fake.failNext('/v1/video_status.get', 503, 3);
    const err = await failure(renderer().render(req));
    expect([err.status, err.code]).toEqual([503, 'provider_unavailable']);
    expect(await env.container.storage.stat(`${tenantId}/heygen/${req.video.id}.json`)).not.toBeNull();
    const out = await renderer().render(req);
    expect(out.width).toBe(720);
    expect(fake.count('POST', '/v2/video/generate') - n).toBe(1);
  });

  it('maps a failed HeyGen render to 422 render_failed with their reason', async () => {
    fake.outcome = 'failed';
    try {
      const err = await failure(renderer().render(await request(await avatar(VOICE))));
      expect([err.status, err.code]).toEqual([422, 'render_failed']);
      expect(err.message).toMatch(/No face detected/);
    } finally {
      fake.outcome = 'completed';
    }
  });

  it('asks for a fresh URL when the signed result URL has expired', async () => {
    const files = fake.requests.filter((r) => r.path.startsWith('/files/')).length;
    fake.expiredUrls = 1;
    const out = await renderer().render(await request(await avatar(VOICE)));
    expect(out.height).toBe(1280);
    expect(fake.requests.filter((r) => r.path.startsWith('/files/')).length - files).toBe(2);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvatarsTable, VideosTable } from '../../db/tables/core';
import type { AppError } from '../../errors';
import { resolveBinaries } from '../../media/binaries';
import { EspeakTts } from '../../media/espeak.tts';
import { probeMedia } from '../../media/probe';
import { LocalStorage } from '../../storage/storage.local';
import type { RenderRequest } from '../renderer';
import { ttsSpeech } from '../speech';
import { POSTER_MAX_BYTES } from '../thumbnails';
import { RemoteRendererClient } from './remote.client';
import { startFakeRemote, type FakeRemote } from './remote.fake';
import { RemoteRenderer } from './remote.renderer';

const bins = resolveBinaries(process.env);
const PHOTO = path.resolve(__dirname, '../../../test/fixtures/faces/portrait-astronaut.png');
const T = '00000000-0000-4000-8000-000000000001';

describe('remote renderer against a local fake GPU worker', () => {
  let fake: FakeRemote;
  let dir: string;
  let storage: LocalStorage;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'remote-test-'));
    storage = new LocalStorage(path.join(dir, 'objects'), 'http://localhost:3000', 'test-secret-test-secret-test-secret');
    await storage.put(`${T}/avatars/photo.png`, await fs.readFile(PHOTO), 'image/png');
    fake = await startFakeRemote({ ffmpeg: bins.ffmpeg!, token: 'gpu-token' });
  });
  afterAll(async () => {
    await fake?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const renderer = (token = 'gpu-token') =>
    new RemoteRenderer({
      client: new RemoteRendererClient({ baseUrl: fake.url, token, backoffMs: 5 }),
      storage,
      speech: ttsSpeech(new EspeakTts(bins.espeak)),
      binaries: bins,
      poll: { firstMs: 20, maxMs: 100, timeoutMs: 60_000 },
    });

  async function request(format = 'portrait', videoId: string = crypto.randomUUID()): Promise<RenderRequest> {
    const avatar = { id: 'a1', tenant_id: T, photo_key: `${T}/avatars/photo.png`, photo_mime: 'image/png', voice_settings: {}, provider_ids: {} } as unknown as Selectable<AvatarsTable>;
    const video = { id: videoId, tenant_id: T, script: 'Hello from the GPU.', language: 'en', format, title: null, options: {} } as unknown as Selectable<VideosTable>;
    return { avatar, video, workDir: await fs.mkdtemp(path.join(dir, 'job-')), onProgress: () => {}, signal: new AbortController().signal };
  }
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AppError);

  it('sends photo, speech and size, waits for the job, and returns a checked faststart MP4 with poster and GIF', async () => {
    const req = await request('landscape');
    const out = await renderer().render(req);
    const info = await probeMedia(out.videoPath, bins.ffprobe!);
    expect(info).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', width: 1280, height: 720, faststart: true });
    expect(out.durationSec).toBeGreaterThan(0.5);
    expect((await fs.stat(out.posterPath)).size).toBeLessThanOrEqual(POSTER_MAX_BYTES);
    expect((await fs.stat(out.gifPath)).size).toBeGreaterThan(1000);
    expect(fake.creates.at(-1)).toMatchObject({ job_id: req.video.id, width: 1280, height: 720, fps: 25, photoType: 'image/png' });
    expect(fake.deletes.length).toBeGreaterThan(0);
  });

  it('resumes the same worker job when a render is retried (idempotent job_id)', async () => {
    const id = crypto.randomUUID();
    fake.failNext('/v1/jobs/', 503, 3); // status checks fail after the job was created
    const err = await failure(renderer().render(await request('portrait', id)));
    expect([err.status, err.code]).toEqual([503, 'provider_unavailable']);
    const before = fake.creates.length;
    const out = await renderer().render(await request('portrait', id));
    expect(out.height).toBe(1280);
    expect(fake.creates.length).toBe(before);
  });

  it('fails with 422 provider_auth_failed on a wrong token', async () => {
    const err = await failure(renderer('nope').render(await request()));
    expect([err.status, err.code]).toEqual([422, 'provider_auth_failed']);
  });

  it('retries a busy worker (429) and then succeeds', async () => {
    fake.failNext('/v1/jobs', 429, 2);
    const out = await renderer().render(await request('square'));
    expect([out.width, out.height]).toEqual([1080, 1080]);
  });

  it('maps a failed worker job to 422 render_failed with its message', async () => {
    fake.failJobs = true;
    try {
      const err = await failure(renderer().render(await request()));
      expect([err.status, err.code]).toEqual([422, 'render_failed']);
      expect(err.message).toMatch(/no usable face/);
    } finally {
      fake.failJobs = false;
    }
  });
});

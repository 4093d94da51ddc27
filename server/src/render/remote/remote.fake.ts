import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { runFfmpeg } from '../../media/ffmpeg.runner';

/**
 * A GPU-less worker keeping the contract of docs/remote-renderer.md for tests: it "lip-syncs" by encoding the
 * photo as a still with the submitted audio (real ffmpeg), so the server's download, probe and thumbnails
 * run on a genuine MP4. Failure injection: `failNext`, `failJobs`. Test-only.
 */
export interface FakeRemote {
  url: string;
  token: string;
  creates: Array<{ job_id: string; width: number; height: number; fps: number; photoType: string; audioBytes: number }>;
  deletes: string[];
  failJobs: boolean;
  failNext(prefix: string, status: number, times?: number): void;
  close(): Promise<void>;
}

interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  file: string;
  done: Promise<void>;
}

export async function startFakeRemote(o: { ffmpeg: string; token: string }): Promise<FakeRemote> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fake-remote-'));
  const jobs = new Map<string, Job>();
  const byJobId = new Map<string, string>();
  const failures: Array<{ prefix: string; status: number; left: number }> = [];
  const app = new Hono();
  const err = (code: string, message: string) => ({ error: { code, message } });
  const fake: FakeRemote = {
    url: '',
    token: o.token,
    creates: [],
    deletes: [],
    failJobs: false,
    failNext: (prefix, status, times = 1) => void failures.push({ prefix, status, left: times }),
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.allSettled([...jobs.values()].map((j) => j.done));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };

  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${o.token}`) return c.json(err('unauthorized', 'bad or missing token'), 401);
    const f = failures.find((x) => x.left > 0 && c.req.path.startsWith(x.prefix));
    if (f) {
      f.left--;
      c.header('retry-after', '0');
      return c.json(err('busy', `injected ${f.status}`), f.status as 429);
    }
    await next();
  });
  app.get('/v1/health', (c) => c.json({ status: 'ok', model: 'fake-still', max_audio_seconds: 120 }));
  app.post('/v1/jobs', async (c) => {
    const form = await c.req.parseBody();
    const photo = form.photo;
    const audio = form.audio;
    const paramsPart = form.params;
    if (!(photo instanceof File) || !/^image\/(jpeg|png)$/.test(photo.type)) return c.json(err('invalid_request', 'photo must be image/jpeg or image/png'), 400);
    if (!(audio instanceof File) || audio.type !== 'audio/wav') return c.json(err('invalid_request', 'audio must be audio/wav'), 400);
    const params = JSON.parse(paramsPart instanceof File ? await paramsPart.text() : String(paramsPart ?? 'null')) as { job_id?: string; width?: number; height?: number; fps?: number } | null;
    if (!params?.job_id || !params.width || !params.height || !params.fps) return c.json(err('invalid_request', 'params need job_id, width, height, fps'), 400);
    const wav = Buffer.from(await audio.arrayBuffer());
    if (wav.subarray(0, 4).toString() !== 'RIFF') return c.json(err('invalid_request', 'audio is not a WAV file'), 400);
    const existing = byJobId.get(params.job_id);
    if (existing) return c.json({ id: existing, status: jobs.get(existing)!.status }, 200);
    fake.creates.push({ job_id: params.job_id, width: params.width, height: params.height, fps: params.fps, photoType: photo.type, audioBytes: wav.length });
    const id = `job-${jobs.size + 1}`;
    const photoPath = path.join(dir, `${id}.img`);
    const wavPath = path.join(dir, `${id}.wav`);
    await fs.writeFile(photoPath, Buffer.from(await photo.arrayBuffer()));
    await fs.writeFile(wavPath, wav);
    const file = path.join(dir, `${id}.mp4`);
    const { width: w, height: h, fps } = params;
    const job: Job = { id, status: 'running', file, done: Promise.resolve() };
    job.done = (fake.failJobs
      ? Promise.reject(new Error('no face'))
      : runFfmpeg(o.ffmpeg, ['-y', '-loop', '1', '-framerate', String(fps), '-i', photoPath, '-i', wavPath, '-vf', `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},format=yuv420p`, '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'stillimage', '-c:a', 'aac', '-shortest', file])
    ).then(
      () => void (job.status = 'succeeded'),
      () => void (job.status = 'failed'),
    );
    jobs.set(id, job);
    byJobId.set(params.job_id, id);
    return c.json({ id, status: 'queued' }, 202);
  });
  app.get('/v1/jobs/:id', (c) => {
    const j = jobs.get(c.req.param('id'));
    if (!j) return c.json(err('not_found', 'no such job'), 404);
    const error = j.status === 'failed' ? { code: 'no_face', message: 'The model found no usable face' } : null;
    return c.json({ id: j.id, status: j.status, progress: j.status === 'succeeded' ? 100 : 50, error });
  });
  app.get('/v1/jobs/:id/result', async (c) => {
    const j = jobs.get(c.req.param('id'));
    if (!j) return c.json(err('not_found', 'no such job'), 404);
    if (j.status !== 'succeeded') return c.json(err('not_ready', `job is ${j.status}`), 409);
    return c.body(await fs.readFile(j.file), 200, { 'content-type': 'video/mp4' });
  });
  app.delete('/v1/jobs/:id', (c) => {
    fake.deletes.push(c.req.param('id'));
    return c.body(null, 204);
  });

  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

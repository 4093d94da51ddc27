import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { requireFfprobe, resolveBinaries } from '../media/binaries';

const run = promisify(execFile);
type Json = Record<string, unknown>;
const VI_SCRIPT = 'Xin chào anh Minh. Cảm ơn anh đã dành thời gian cho cuộc gọi hôm nay, em gửi anh video tóm tắt.';

/** ffprobe (system, else the npm build) run directly, not through our probe adapter, so the test checks the file independently. */
async function ffprobe(file: string) {
  const { stdout } = await run(requireFfprobe(resolveBinaries(process.env)), ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const j = JSON.parse(stdout) as { streams: Json[]; format: { duration: string } };
  const v = j.streams.find((s) => s.codec_type === 'video')!;
  const a = j.streams.find((s) => s.codec_type === 'audio');
  return { v, a, duration: Number(j.format.duration) };
}

/** Reads an SSE response to its end and returns the events in order. */
async function readEvents(res: Response): Promise<{ event: string; data: Json }[]> {
  const text = await res.text();
  return [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({ event: m[1]!, data: JSON.parse(m[2]!) as Json }));
}

describeEachBackend('the seed demo, end to end through HTTP', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true });
    worker = await startWorker(env.container, { concurrency: 1, pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env.close();
  });

  it('logs in, renders a Vietnamese script with the demo avatar, streams progress, and serves an H.264 720x1280 MP4 with audio', async () => {
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const created = await env.request('/api/v1/videos/', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script: VI_SCRIPT }) });
    expect(created.status).toBe(202);
    const v = (await created.json()) as Json;
    expect(v).toMatchObject({ status: 'queued', language: 'vi' });
    const id = String(v.id);

    const eventsPromise = env.request(`/api/v1/videos/${id}/events?access_token=${token}`).then(readEvents);
    let video: Json = v;
    const deadline = Date.now() + 90_000;
    while (video.status !== 'completed' && video.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      video = (await (await env.request(`/api/v1/videos/${id}`, { token })).json()) as Json;
    }
    expect(video.error).toBeNull();
    expect(video).toMatchObject({ status: 'completed', progress: 100, width: 720, height: 1280, attempts: 1 });

    const events = await eventsPromise;
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.some((p) => p.status === 'rendering' && typeof p.stage === 'string')).toBe(true);
    const values = progress.map((p) => Number(p.progress));
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { id, status: 'completed' } });

    const file = await env.request(`/api/v1/videos/${id}/file`, { token });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.length).toBe(video.video_bytes);
    const out = path.join(env.dataDir, 'download.mp4');
    await fs.writeFile(out, bytes);
    const probe = await ffprobe(out);
    expect(probe.v).toMatchObject({ codec_name: 'h264', width: 720, height: 1280 });
    expect(probe.a?.codec_name).toBe('aac');
    // The video lasts as long as its speech: the audio stream is the speech.
    expect(Math.abs(probe.duration - Number(probe.a!.duration))).toBeLessThanOrEqual(0.2);
    expect(probe.duration).toBeGreaterThan(3);
    expect(probe.duration).toBeLessThan(20);
    expect(Math.abs(probe.duration - Number(video.duration_sec))).toBeLessThanOrEqual(0.05);

    const poster = await env.request(`/api/v1/videos/${id}/poster`, { token });
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect((await poster.arrayBuffer()).byteLength).toBe(video.poster_bytes);
    const gif = await env.request(`/api/v1/videos/${id}/gif`, { token });
    expect(gif.headers.get('content-type')).toBe('image/gif');
    // The signed URL in the JSON works without the token.
    const signed = new URL(String(video.video_url));
    expect((await env.request(`${signed.pathname}${signed.search}`)).status).toBe(200);
  });

  it('stops a render when the video is canceled: the job ends skipped, the row stays canceled, no files are kept', async () => {
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const tenantDir = async () => {
      const ids = await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow();
      return fs.readdir(path.join(env.dataDir, 'objects', ids.id, 'videos')).catch(() => [] as string[]);
    };
    const before = (await tenantDir()).length;
    const script = 'This message is long enough to be canceled while it renders. '.repeat(4);
    const v = (await (await env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script }) })).json()) as Json;
    const id = String(v.id);
    const { tenant_id } = await env.container.db.selectFrom('videos').select('tenant_id').where('id', '=', id).executeTakeFirstOrThrow();
    let status: string | undefined;
    for (let i = 0; i < 300 && status !== 'rendering'; i++) {
      status = (await env.container.videosRepo.pollState(tenant_id, id))?.status;
      if (status !== 'rendering') await new Promise((res) => setTimeout(res, 100));
    }
    expect(status).toBe('rendering');
    const cancel = await env.request(`/api/v1/videos/${id}/cancel`, { method: 'POST', token });
    expect(cancel.status).toBe(200);
    const canceledAt = Date.now();
    const jobs = () =>
      env.container.db.selectFrom('pgboss.job' as never).select(['state' as never, 'output' as never, 'data' as never]).execute() as Promise<{ state: string; output: unknown; data: { videoId: string } }[]>;
    let job: { state: string; output: unknown } | undefined;
    while (Date.now() - canceledAt < 30_000) {
      job = (await jobs()).find((j) => j.data.videoId === id);
      if (job?.state === 'completed') break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(job).toMatchObject({ state: 'completed', output: { result: 'skipped' } });
    expect(Date.now() - canceledAt).toBeLessThan(10_000); // the render stopped, it did not run to the end
    const row = (await (await env.request(`/api/v1/videos/${id}`, { token })).json()) as Json;
    expect(row).toMatchObject({ status: 'canceled', video_url: null, video_bytes: null });
    expect((await tenantDir()).length).toBe(before);
  });
});

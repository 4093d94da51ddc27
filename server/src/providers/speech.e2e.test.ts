import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeAudio } from '../../test/audio-fixtures';
import { startOpenAiFake, type OpenAiFake } from '../../test/fakes/openai.fake';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { requireFfprobe, resolveBinaries } from '../media/binaries';

const run = promisify(execFile);
const KEY = 'sk-e2e-openai-key-13579';
type Json = Record<string, unknown>;

describeEachBackend('videos speak with a recording or a cloud voice, end to end', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  let fake: OpenAiFake;
  let token: string;

  /** Every error_code a polled video showed on its way (retries clear it on success). */
  const seenCodes = new Set<string>();
  const renderVideo = async (body: Json): Promise<Json> => {
    const created = await env.request('/api/v1/videos/', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, renderer: 'static', ...body }) });
    expect(created.status).toBe(202);
    const id = String(((await created.json()) as Json).id);
    let video: Json = {};
    const deadline = Date.now() + 120_000;
    while (video.status !== 'completed' && video.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 400));
      video = (await (await env.request(`/api/v1/videos/${id}`, { token })).json()) as Json;
      if (typeof video.error_code === 'string') seenCodes.add(video.error_code);
    }
    return video;
  };
  const audioDuration = async (videoId: string) => {
    const file = await env.request(`/api/v1/videos/${videoId}/file`, { token });
    const out = path.join(env.dataDir, `${videoId}.mp4`);
    await fs.writeFile(out, Buffer.from(await file.arrayBuffer()));
    const { stdout } = await run(requireFfprobe(resolveBinaries(process.env)), ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', out]);
    return Number(stdout.trim());
  };

  beforeAll(async () => {
    fake = await startOpenAiFake({ apiKey: KEY, msPerChar: 40 });
    env = await createTestEnv(backend, { startQueue: true, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, JOB_RETRY_DELAY_SECONDS: '1' } });
    worker = await startWorker(env.container, { concurrency: 1, pollingIntervalSeconds: 0.5 });
    token = await env.login(DEMO.user.email, DEMO.user.password);
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env.close();
    await fake.close();
  });

  it('uses an uploaded recording instead of TTS: the video lasts as long as the recording', async () => {
    const form = new FormData();
    form.set('audio', new Blob([new Uint8Array(await makeAudio('webm', 2.5))]), 'me.webm');
    const rec = (await (await env.request('/api/v1/recordings', { method: 'POST', body: form, token })).json()) as Json;
    const video = await renderVideo({ script: 'A long script that would take far more than two and a half seconds to say with any voice at all.', recording_id: rec.id });
    expect(video.error).toBeNull();
    expect(video.status).toBe('completed');
    expect(Number(video.duration_sec)).toBeCloseTo(2.5, 0);
    expect(Math.abs((await audioDuration(String(video.id))) - 2.5)).toBeLessThanOrEqual(0.2);
    expect(fake.requests).toHaveLength(0);
  });

  it("speaks with OpenAI when the video's tts option asks for it", async () => {
    const script = 'Hello Priya, here is the proposal we discussed.';
    const video = await renderVideo({ script, tts: { engine: 'openai', voice: 'nova' } });
    expect(video.error).toBeNull();
    expect(video.status).toBe('completed');
    expect(fake.requests.at(-1)!.body).toMatchObject({ voice: 'nova', input: script, response_format: 'pcm' });
    expect(Math.abs((await audioDuration(String(video.id))) - script.length * 0.04)).toBeLessThanOrEqual(0.2);
  });

  it('keeps the job when OpenAI is down: the attempt fails with provider_unavailable and the queue retries it to success', async () => {
    fake.reset();
    seenCodes.clear();
    fake.failNext({ status: 503 }, 4); // every in-call attempt of the first job attempt
    const video = await renderVideo({ script: 'Short and sweet.', tts: { engine: 'openai' } });
    expect(video.status).toBe('completed');
    expect(video.attempts).toBe(2);
    expect(fake.requests).toHaveLength(5);
    expect([...seenCodes]).toContain('provider_unavailable');
  });
});

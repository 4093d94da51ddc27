import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiFake, type OpenAiFake } from '../../test/fakes/openai.fake';
import { AppError } from '../errors';
import { requireFfmpeg, requireFfprobe, resolveBinaries } from '../media/binaries';
import { AudioTools } from './audio.ffmpeg';
import { OpenAiTts, type OpenAiTtsConfig } from './openai.tts';
import { decodeWav } from './wav';

const KEY = 'sk-test-openai-secret-1234567890';
const bins = resolveBinaries(process.env);
const audio = new AudioTools({ ffmpeg: requireFfmpeg(bins), ffprobe: requireFfprobe(bins) });
const policy = { attempts: 3, baseDelayMs: 5, maxDelayMs: 1000 };

describe('OpenAI TTS engine against a local fake', () => {
  let fake: OpenAiFake;
  let dir: string;
  let logLines: string[];
  const engine = (over: Partial<OpenAiTtsConfig> = {}) => {
    const log = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => (logLines.push(c.toString()), cb()) }));
    return new OpenAiTts({ apiKey: KEY, baseURL: fake.baseURL, model: 'gpt-4o-mini-tts', defaultVoice: 'alloy', format: 'pcm', retry: policy, log, ...over });
  };

  beforeAll(async () => {
    fake = await startOpenAiFake({ apiKey: KEY, msPerChar: 2 });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-openai-'));
  });
  afterAll(async () => {
    await fake.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.reset();
    logLines = [];
  });

  it('writes a valid mono WAV whose duration matches the speech, with the requested model and voice', async () => {
    const text = 'Hello Priya, thanks for the quick reply.';
    const r = await engine().synthesize(text, { language: 'en', voice: 'coral' }, dir);
    expect(r.sampleRate).toBe(24_000);
    expect(r.durationSec).toBeCloseTo((text.length * 2) / 1000, 3);
    expect(r.marks).toBeUndefined();
    const probe = await audio.probe(r.wavPath);
    expect(probe.codec).toBe('pcm_s16le');
    expect(probe.durationSec).toBeCloseTo(r.durationSec, 2);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini-tts', voice: 'coral', input: text, response_format: 'pcm' });
    expect(fake.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
  });

  it("reads 'wav' responses whose header carries streaming sizes", async () => {
    const r = await engine({ format: 'wav' }).synthesize('Xin chào anh Minh.', { language: 'vi' }, dir);
    expect(r.durationSec).toBeCloseTo((18 * 2) / 1000, 3);
    expect(fake.requests[0]!.body.response_format).toBe('wav');
  });

  it('fails a bad key with provider_auth_failed at once, without retrying', async () => {
    const bad = new OpenAiTts({ apiKey: 'sk-wrong-key-abcdef', baseURL: fake.baseURL, model: 'tts-1', defaultVoice: 'alloy', format: 'pcm', retry: policy });
    const err = await bad.synthesize('Hello.', { language: 'en' }, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('provider_auth_failed');
    expect((err as AppError).message).not.toContain('sk-wr');
    expect(fake.requests).toHaveLength(1);
  });

  it('waits the Retry-After of a 429 and then succeeds', async () => {
    fake.failNext({ status: 429, headers: { 'retry-after-ms': '300' }, code: 'rate_limit_exceeded' });
    const t0 = Date.now();
    const r = await engine().synthesize('Hello again.', { language: 'en' }, dir);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(r.durationSec).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up on repeated 5xx after the bounded attempts with provider_unavailable', async () => {
    fake.failNext({ status: 503 }, 5);
    const err = await engine().synthesize('Hello.', { language: 'en' }, dir).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('provider_unavailable');
    expect((err as AppError).status).toBe(503);
    expect(fake.requests).toHaveLength(policy.attempts);
  });

  it('splits a script over 4096 characters at sentence ends and joins the parts without gaps', async () => {
    const sentence = 'This sentence is part of a very long script that goes on. ';
    const text = sentence.repeat(180).trim(); // ≈ 10,400 characters
    const r = await engine().synthesize(text, { language: 'en' }, dir);
    expect(fake.requests.length).toBe(3);
    for (const q of fake.requests) {
      expect(q.body.input!.length).toBeLessThanOrEqual(4096);
      expect(q.body.input).toMatch(/\.$/);
    }
    const samples = fake.requests.reduce((s, q) => s + q.samples, 0);
    const wav = decodeWav(await fs.readFile(r.wavPath));
    expect(wav.data.length / 2).toBe(samples);
    expect(r.durationSec).toBeCloseTo(samples / 24_000, 6);
  });

  it('never writes the API key into logs, even while retrying', async () => {
    fake.failNext({ status: 500 });
    await engine().synthesize('Hello.', { language: 'en' }, dir);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(KEY);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PREMADE_VOICE_ID, startElevenLabsFake, type ElevenLabsFake } from '../../test/fakes/elevenlabs.fake';
import { AppError } from '../errors';
import type { SpeechMark } from '../media/tts';
import { requireFfmpeg, requireFfprobe, resolveBinaries } from '../media/binaries';
import { AudioTools } from './audio.ffmpeg';
import { ElevenLabsClient } from './elevenlabs.client';
import { ElevenLabsTts, type ElevenLabsTtsConfig } from './elevenlabs.tts';

const KEY = 'xi-test-eleven-secret-0987654321';
const bins = resolveBinaries(process.env);
const audio = new AudioTools({ ffmpeg: requireFfmpeg(bins), ffprobe: requireFfprobe(bins) });
const policy = { attempts: 3, baseDelayMs: 5, maxDelayMs: 1000 };

function expectMonotonic(marks: SpeechMark[]) {
  for (const kind of ['phoneme', 'word'] as const) {
    const ms = marks.filter((m) => m.kind === kind);
    expect(ms.length).toBeGreaterThan(0);
    ms.forEach((m, i) => {
      expect(m.endMs).toBeGreaterThanOrEqual(m.startMs);
      if (i > 0) expect(m.startMs).toBeGreaterThanOrEqual(ms[i - 1]!.endMs);
    });
  }
}

describe('ElevenLabs TTS engine against a local fake', () => {
  let fake: ElevenLabsFake;
  let dir: string;
  const engine = (cfg: Partial<ElevenLabsTtsConfig> = {}, apiKey = KEY) =>
    new ElevenLabsTts(new ElevenLabsClient({ apiKey, baseUrl: fake.baseUrl, retry: policy }), audio, {
      modelId: 'eleven_multilingual_v2',
      defaultVoiceId: PREMADE_VOICE_ID,
      outputFormat: 'mp3_44100_128',
      ...cfg,
    });

  beforeAll(async () => {
    fake = await startElevenLabsFake({ apiKey: KEY, msPerChar: 20 });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-eleven-'));
  });
  afterAll(async () => {
    await fake.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => fake.reset());

  it('turns MP3 with timestamps into a mono 16-bit WAV with word and per-character marks', async () => {
    const text = 'Chào chị Lan, hẹn gặp lại.';
    const r = await engine().synthesize(text, { language: 'vi' }, dir);
    const probe = await audio.probe(r.wavPath);
    expect(probe.codec).toBe('pcm_s16le');
    expect(r.sampleRate).toBe(24_000);
    expect(r.durationSec).toBeGreaterThan(text.length * 0.02 - 0.03);
    expect(r.durationSec).toBeLessThan(text.length * 0.02 + 0.08);
    const marks = r.marks!;
    expectMonotonic(marks);
    expect(marks.filter((m) => m.kind === 'word').map((m) => m.value)).toEqual(['Chào', 'chị', 'Lan,', 'hẹn', 'gặp', 'lại.']);
    expect(marks.filter((m) => m.kind === 'phoneme')).toHaveLength(text.replace(/\s/g, '').length);
    expect(fake.ttsRequests[0]).toMatchObject({ voiceId: PREMADE_VOICE_ID, model_id: 'eleven_multilingual_v2', output_format: 'mp3_44100_128', apiKey: KEY });
  });

  it('reads raw pcm_* output formats too', async () => {
    const r = await engine({ outputFormat: 'pcm_16000' }).synthesize('Hello there.', { language: 'en' }, dir);
    expect(r.durationSec).toBeCloseTo(12 * 0.02, 2);
  });

  it('fails a bad key with provider_auth_failed and does not retry', async () => {
    const err = await engine({}, 'xi-wrong').synthesize('Hello.', { language: 'en' }, dir).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('provider_auth_failed');
    expect(fake.ttsRequests).toHaveLength(0);
  });

  it('retries a 429 too_many_concurrent_requests after Retry-After and succeeds, without logging the key', async () => {
    fake.failNext({ status: 429, headers: { 'retry-after': '0.2' } });
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
    const withLog = new ElevenLabsTts(new ElevenLabsClient({ apiKey: KEY, baseUrl: fake.baseUrl, retry: policy, log }), audio, {
      modelId: 'eleven_multilingual_v2',
      defaultVoiceId: PREMADE_VOICE_ID,
      outputFormat: 'mp3_44100_128',
    });
    const t0 = Date.now();
    const r = await withLog.synthesize('Hello.', { language: 'en' }, dir);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(r.durationSec).toBeGreaterThan(0.05);
    expect(lines.join('')).toContain('retrying');
    expect(lines.join('')).not.toContain(KEY);
  });

  it('maps exhausted 5xx to provider_unavailable', async () => {
    fake.failNext({ status: 500 }, policy.attempts);
    const err = await engine().synthesize('Hello.', { language: 'en' }, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('provider_unavailable');
  });

  it('answers provider_error for an unknown voice (a 4xx that retrying cannot fix)', async () => {
    const err = await engine().synthesize('Hello.', { language: 'en', voice: 'nope' }, dir).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('provider_error');
    expect((err as AppError).message).toContain('voice_not_found');
  });

  it('splits a script over the model limit and joins parts without gaps, shifting the marks', async () => {
    const sentence = 'Một câu tiếng Việt khá dài để thử nghiệm. ';
    const text = sentence.repeat(160).trim(); // ≈ 6,900 characters; eleven_v3 allows 3,000
    const quick = await startElevenLabsFake({ apiKey: KEY, msPerChar: 2 });
    const long = new ElevenLabsTts(new ElevenLabsClient({ apiKey: KEY, baseUrl: quick.baseUrl, retry: policy }), audio, {
      modelId: 'eleven_v3',
      defaultVoiceId: PREMADE_VOICE_ID,
      outputFormat: 'pcm_24000',
    });
    const r = await long.synthesize(text, { language: 'vi' }, dir).finally(() => quick.close());
    expect(quick.ttsRequests).toHaveLength(3);
    for (const q of quick.ttsRequests) expect(q.text.length).toBeLessThanOrEqual(3000);
    const expected = quick.ttsRequests.reduce((s, q) => s + q.text.length * 0.002, 0);
    expect(r.durationSec).toBeCloseTo(expected, 3);
    expectMonotonic(r.marks!);
    const lastWord = r.marks!.filter((m) => m.kind === 'word').at(-1)!;
    expect(lastWord.endMs / 1000).toBeCloseTo(r.durationSec, 2);
  });
});

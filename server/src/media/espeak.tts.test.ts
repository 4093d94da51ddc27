import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESPEAK_WASM_CHILD, resolveBinaries } from './binaries';
import { espeakArgs, espeakVoiceFor, EspeakTts } from './espeak.tts';
import { isBilabial } from './phoneme-align';
import type { SpeechMark } from './tts';

const bins = resolveBinaries(process.env);
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'espeak-test-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const sub = async (name: string) => fs.mkdtemp(path.join(dir, `${name}-`));
const bilabialCentres = (marks: SpeechMark[]) =>
  marks.filter((m) => m.kind === 'phoneme' && isBilabial(m.value.replace(/^ˈ/, ''))).map((m) => (m.startMs + m.endMs) / 2);

describe('EspeakTts', () => {
  it.each([
    { opts: { language: 'en' }, want: ['-v', 'en-us', '-b', '1', '-w', 'o.wav', '--stdin'] },
    { opts: { language: 'vi', rate: 140, pitch: 60 }, want: ['-v', 'vi', '-b', '1', '-s', '140', '-p', '60', '-w', 'o.wav', '--stdin'] },
    { opts: { language: 'vi', voice: 'vi-vn-x-south', rate: 1000, pitch: -5 }, want: ['-v', 'vi-vn-x-south', '-b', '1', '-s', '450', '-p', '0', '-w', 'o.wav', '--stdin'] },
    { opts: { language: 'de' }, want: ['-v', 'de', '-b', '1', '-w', 'o.wav', '--stdin'] },
  ])('builds espeak-ng arguments for $opts', ({ opts, want }) => {
    expect(espeakArgs(opts, 'o.wav')).toEqual(want);
  });

  it('asks for the WAV and the phonemes in one run', () => {
    expect(espeakArgs({ language: 'en' }, 'o.wav', true)).toEqual(['-v', 'en-us', '-b', '1', '-w', 'o.wav', '-x', '--sep=_', '--stdin']);
    expect(espeakArgs({ language: 'en' }, null)).toEqual(['-v', 'en-us', '-b', '1', '-q', '-x', '--sep=_', '--stdin']);
  });

  it('refuses a voice name that could smuggle options', () => {
    expect(() => espeakVoiceFor({ language: 'en', voice: 'en -w /etc/x' })).toThrow(/Invalid espeak voice/);
  });

  it('speaks English and Vietnamese into mono WAV with phoneme marks inside the audio', async () => {
    const tts = new EspeakTts(bins.espeak);
    for (const [language, text] of [['en', 'Hello Priya, here is a short video for you.'], ['vi', 'Xin chào! Tôi là trợ lý của bạn.']] as const) {
      const r = await tts.synthesize(text, { language }, await sub(language));
      expect(r.durationSec).toBeGreaterThan(1.2);
      expect(r.sampleRate).toBe(22050);
      const head = (await fs.readFile(r.wavPath)).subarray(0, 4).toString('latin1');
      expect(head).toBe('RIFF');
      const phonemes = r.marks!.filter((m) => m.kind === 'phoneme');
      expect(phonemes.length).toBeGreaterThan(10);
      for (const m of phonemes) {
        expect(m.endMs).toBeGreaterThanOrEqual(m.startMs);
        expect(m.endMs).toBeLessThanOrEqual(r.durationSec * 1000 + 1);
      }
    }
  });

  it('speaks slower at a lower rate', async () => {
    const tts = new EspeakTts(bins.espeak);
    const text = 'This sentence is spoken at two different speeds.';
    const fast = await tts.synthesize(text, { language: 'en', rate: 260 }, await sub('fast'));
    const slow = await tts.synthesize(text, { language: 'en', rate: 110 }, await sub('slow'));
    expect(slow.durationSec).toBeGreaterThan(fast.durationSec * 1.6);
  });

  it('lists every espeak voice, English and Vietnamese included', async () => {
    const voices = await new EspeakTts(bins.espeak).listVoices();
    expect(voices.length).toBeGreaterThan(50);
    expect(voices.map((v) => v.language)).toEqual(expect.arrayContaining(['en-us', 'vi']));
  });

  it('aligns the CLI\'s m/p to within 90 ms of espeak\'s own phoneme events (WASM build)', async () => {
    const text = 'mama papa, my mom bought a map.';
    const cli = await new EspeakTts(bins.espeak).synthesize(text, { language: 'en' }, await sub('cli'));
    const wasm = await new EspeakTts({ kind: 'wasm', node: process.execPath, script: ESPEAK_WASM_CHILD }).synthesize(text, { language: 'en' }, await sub('wasm'));
    const a = bilabialCentres(cli.marks!);
    const b = bilabialCentres(wasm.marks!);
    expect(a.length).toBe(b.length);
    expect(a.length).toBeGreaterThanOrEqual(8);
    const errors = a.map((t, i) => Math.abs(t - b[i]!));
    expect(Math.max(...errors)).toBeLessThan(90);
  });
});

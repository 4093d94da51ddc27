import fs from 'node:fs/promises';
import path from 'node:path';
import type { EspeakBinary } from './binaries';
import { alignPhonemes, parseEspeakPhonemes } from './phoneme-align';
import { runProcess } from './ffmpeg.runner';
import type { SpeechMark, TtsEngine, TtsOptions, TtsResult } from './tts';
import { parseWav } from './wav';

/** An espeak-ng voice as listed by `espeak-ng --voices`. */
export interface EspeakVoice {
  language: string;
  name: string;
  file: string;
  gender: string;
}

/** Our language codes → espeak voice names; any other espeak voice name passes through unchanged. */
const DEFAULT_VOICE: Record<string, string> = { en: 'en-us', vi: 'vi' };

/** Picks the espeak voice: an explicit voice, else the language's default, else the language code itself. */
export function espeakVoiceFor(opts: TtsOptions): string {
  const v = opts.voice?.trim() || DEFAULT_VOICE[opts.language] || opts.language;
  if (!/^[\w+-]{1,40}$/.test(v)) throw new Error(`Invalid espeak voice name "${v}"`);
  return v;
}

/** espeak-ng command-line arguments for speech (text goes on stdin, so it is never parsed as options). */
export function espeakArgs(opts: TtsOptions, outWav: string | null, withPhonemes = false): string[] {
  const args = ['-v', espeakVoiceFor(opts), '-b', '1'];
  if (opts.rate !== undefined) args.push('-s', String(Math.round(Math.min(450, Math.max(80, opts.rate)))));
  if (opts.pitch !== undefined) args.push('-p', String(Math.round(Math.min(99, Math.max(0, opts.pitch)))));
  if (outWav) args.push('-w', outWav);
  else args.push('-q');
  // The WAV and the phoneme mnemonics from one run (the same samples as a run without -x).
  if (!outWav || withPhonemes) args.push('-x', '--sep=_');
  args.push('--stdin');
  return args;
}

/** Parses `espeak-ng --voices` output into voices (pure). */
export function parseVoiceList(out: string): EspeakVoice[] {
  return out
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 5)
    .map((c) => ({ language: c[1]!, gender: c[2]!, name: c[3]!, file: c[4]! }));
}

/**
 * espeak-ng speech, always in a child process (GPL code stays out of the server). With the CLI, phoneme
 * timings come from aligning espeak's phonemes with the audio; the WASM fallback reports espeak's own events.
 */
export class EspeakTts implements TtsEngine {
  readonly name = 'espeak' as const;
  constructor(private readonly bin: EspeakBinary) {}

  async synthesize(text: string, opts: TtsOptions, workDir: string, signal?: AbortSignal): Promise<TtsResult> {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) throw new Error('Nothing to say: the script is empty');
    const wavPath = path.join(workDir, 'speech.wav');
    let engineMarks: SpeechMark[] | undefined;
    let phonemes: string | null = null;
    if (this.bin.kind === 'cli') {
      // One espeak run writes the WAV and prints the phonemes (two runs cost a second process per text).
      phonemes = (await runProcess(this.bin.path, espeakArgs(opts, wavPath, true), { input: clean, signal, timeoutMs: 60_000 })).stdout.toString();
    } else {
      engineMarks = await this.speak(clean, opts, wavPath, signal);
    }
    const audio = parseWav(await fs.readFile(wavPath));
    const marks = engineMarks ?? (phonemes ? alignPhonemes(parseEspeakPhonemes(phonemes), audio) : undefined);
    return { wavPath, durationSec: audio.durationSec, sampleRate: audio.sampleRate, marks };
  }

  /** Every voice this espeak-ng has (language, name, gender). */
  async listVoices(signal?: AbortSignal): Promise<EspeakVoice[]> {
    const b = this.bin;
    if (b.kind === 'wasm') {
      const { stdout } = await runProcess(b.node, [b.script], { input: JSON.stringify({ list: true }), signal, timeoutMs: 60_000 });
      return (JSON.parse(stdout.toString().trim().split('\n').pop() ?? '{}') as { voices?: EspeakVoice[] }).voices ?? [];
    }
    if (b.kind !== 'cli') throw new Error('espeak-ng not found: install Debian espeak-ng (apt-get install espeak-ng) or set ESPEAK_PATH');
    const { stdout } = await runProcess(b.path, ['--voices'], { signal, timeoutMs: 10_000 });
    return parseVoiceList(stdout.toString());
  }

  /** Writes the WAV; the WASM build also returns espeak's own phoneme events (the CLI cannot print them). */
  private async speak(text: string, opts: TtsOptions, wavPath: string, signal?: AbortSignal): Promise<SpeechMark[] | undefined> {
    const b = this.bin;
    if (b.kind === 'cli') {
      await runProcess(b.path, espeakArgs(opts, wavPath), { input: text, signal, timeoutMs: 60_000 });
      return undefined;
    } else if (b.kind === 'wasm') {
      const req = JSON.stringify({ voice: espeakVoiceFor(opts), rate: opts.rate, pitch: opts.pitch, text, out: wavPath });
      const { stdout } = await runProcess(b.node, [b.script], { input: req, signal, timeoutMs: 120_000 });
      const line = stdout.toString().trim().split('\n').pop() ?? '{}';
      return (JSON.parse(line) as { marks?: SpeechMark[] }).marks;
    } else {
      throw new Error('espeak-ng not found: install Debian espeak-ng (apt-get install espeak-ng) or set ESPEAK_PATH');
    }
  }
}

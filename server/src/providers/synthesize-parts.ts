import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import type { SpeechMark, TtsResult } from '../media/tts';
import { splitSentences } from './split-sentences';
import { concatPcm, encodeWav, pcmDurationSec, type Pcm16 } from './wav';

/** One synthesized part: its audio and marks relative to the part's own start. */
export interface PartAudio {
  pcm: Pcm16;
  marks?: SpeechMark[];
}

/** Shifts every mark of each part by the part's start time, so marks stay aligned after joining. */
export function joinParts(parts: PartAudio[]): { pcm: Pcm16; marks?: SpeechMark[] } {
  const pcm = concatPcm(parts.map((p) => p.pcm));
  if (!parts.some((p) => p.marks)) return { pcm };
  const marks: SpeechMark[] = [];
  let offsetMs = 0;
  for (const p of parts) {
    for (const m of p.marks ?? []) marks.push({ ...m, startMs: m.startMs + offsetMs, endMs: m.endMs + offsetMs });
    offsetMs += pcmDurationSec(p.pcm) * 1000;
  }
  return { pcm, marks };
}

/**
 * Splits `text` at sentence ends under `maxChars`, synthesizes the parts one after another (providers limit
 * concurrency, not rate) and joins them back to back without gaps into `<workDir>/<name>.wav`.
 */
export async function synthesizeInParts(
  text: string,
  maxChars: number,
  synthPart: (part: string, index: number) => Promise<PartAudio>,
  out: { workDir: string; name: string; signal?: AbortSignal },
): Promise<TtsResult> {
  const pieces = splitSentences(text, maxChars);
  if (pieces.length === 0) throw new AppError(422, 'script_empty', 'The script is empty; write something to say');
  const parts: PartAudio[] = [];
  for (const [i, piece] of pieces.entries()) {
    out.signal?.throwIfAborted();
    parts.push(await synthPart(piece, i));
  }
  const { pcm, marks } = joinParts(parts);
  const wavPath = path.join(out.workDir, `${out.name}.wav`);
  await fs.writeFile(wavPath, encodeWav(pcm));
  return { wavPath, durationSec: pcmDurationSec(pcm), sampleRate: pcm.sampleRate, ...(marks ? { marks } : {}) };
}

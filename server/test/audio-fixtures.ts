import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireFfmpeg, resolveBinaries } from '../src/media/binaries';

const run = promisify(execFile);

/** A short spoken-like tone encoded by the real ffmpeg (system, else the npm build): 'wav' | 'mp3' | 'webm' (Opus) | 'm4a' | 'ogg'. */
export async function makeAudio(format: 'wav' | 'mp3' | 'webm' | 'm4a' | 'ogg', seconds: number): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-audio-'));
  const out = path.join(dir, `a.${format}`);
  const codec: Record<string, string[]> = {
    wav: ['-c:a', 'pcm_s16le'],
    mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
    webm: ['-c:a', 'libopus', '-b:a', '32k'],
    m4a: ['-c:a', 'aac', '-b:a', '64k'],
    ogg: ['-c:a', 'libvorbis'],
  };
  const ffmpeg = requireFfmpeg(resolveBinaries(process.env));
  try {
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=180:sample_rate=48000:duration=${seconds}`, '-af', 'volume=0.5', '-ac', '1', ...codec[format]!];
    if (format === 'webm') {
      // Streamed like a browser MediaRecorder: the muxer cannot seek back, so the file carries no duration.
      const { stdout } = await run(ffmpeg, [...args, '-f', 'webm', 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    }
    await run(ffmpeg, [...args, out]);
    return await fs.readFile(out);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

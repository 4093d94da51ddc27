import { spawn } from 'node:child_process';
import type { Pcm16 } from './wav';

export interface AudioProbe {
  durationSec: number;
  codec: string;
  format: string;
}

/** Runs a binary, feeding `stdin` and collecting stdout; rejects with the tail of stderr on a non-zero exit. */
function run(bin: string, args: string[], stdin: Buffer | undefined, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${bin} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.on('error', () => {}); // ffmpeg may close stdin early on bad input; the exit code tells
    child.stdin.end(stdin);
  });
}

/** ffmpeg/ffprobe adapter for speech audio: decode anything to mono 16-bit PCM, probe durations. */
export class AudioTools {
  constructor(private readonly bins: { ffmpeg: string; ffprobe: string }) {}

  /**
   * Decodes audio (a file path, or bytes on stdin) to mono 16-bit PCM at `sampleRate`. Raw PCM input needs
   * `raw: { sampleRate }` because it has no header.
   */
  async toPcm(input: string | Buffer, sampleRate: number, opts: { raw?: { sampleRate: number }; signal?: AbortSignal } = {}): Promise<Pcm16> {
    const inArgs = opts.raw ? ['-f', 's16le', '-ar', String(opts.raw.sampleRate), '-ac', '1'] : [];
    const src = typeof input === 'string' ? input : 'pipe:0';
    const stdinFlag = typeof input === 'string' ? ['-nostdin'] : [];
    const args = ['-hide_banner', '-loglevel', 'error', ...stdinFlag, ...inArgs, '-i', src, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'];
    const data = await run(this.bins.ffmpeg, args, typeof input === 'string' ? undefined : input, opts.signal);
    return { sampleRate, data };
  }

  /** Duration and codec of the first audio stream; throws when the file has none or is unreadable. */
  async probe(filePath: string, signal?: AbortSignal): Promise<AudioProbe> {
    const out = await run(
      this.bins.ffprobe,
      ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_name,duration:format=duration,format_name', '-of', 'json', filePath],
      undefined,
      signal,
    );
    const j = JSON.parse(out.toString()) as { streams?: { codec_name?: string; duration?: string }[]; format?: { duration?: string; format_name?: string } };
    const stream = j.streams?.[0];
    if (!stream) throw new Error('no audio stream');
    let durationSec = Number(stream.duration ?? j.format?.duration);
    // Browser MediaRecorder WebM carries no duration: take the end of the last audio packet instead.
    if (!Number.isFinite(durationSec) || durationSec <= 0) durationSec = await this.lastPacketEnd(filePath, signal);
    if (!Number.isFinite(durationSec) || durationSec <= 0) throw new Error('audio has no measurable duration');
    return { durationSec, codec: stream.codec_name ?? 'unknown', format: j.format?.format_name ?? 'unknown' };
  }

  private async lastPacketEnd(filePath: string, signal?: AbortSignal): Promise<number> {
    const out = await run(this.bins.ffprobe, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', filePath], undefined, signal);
    let end = 0;
    for (const line of out.toString().split('\n')) {
      const [pts, dur] = line.split(',').map(Number);
      if (pts !== undefined && Number.isFinite(pts)) end = Math.max(end, pts + (dur !== undefined && Number.isFinite(dur) ? dur : 0));
    }
    return end;
  }
}

import fs from 'node:fs/promises';
import { resolveBinaries, requireFfprobe } from './binaries';
import { runProcess } from './ffmpeg.runner';

/** What ffprobe (and the MP4 atom order) says about a media file. */
export interface MediaInfo {
  durationSec: number;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  /** Average frame rate of the video stream (frames per second). */
  fps: number | null;
  /** Duration of the video and audio streams, when present. */
  videoDurationSec: number | null;
  audioDurationSec: number | null;
  /** The `moov` atom comes before `mdat`, so playback can start before the download ends (MP4/MOV only). */
  faststart: boolean;
  /** Overall bit rate in bits per second. */
  bitrate: number | null;
  formatName: string;
  sizeBytes: number;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  duration?: string;
}
interface ProbeJson {
  streams?: ProbeStream[];
  format?: { duration?: string; bit_rate?: string; format_name?: string; size?: string };
}

function ratio(r: string | undefined): number | null {
  if (!r) return null;
  const [n, d] = r.split('/').map(Number);
  if (!n || !d) return null;
  return n / d;
}

function num(v: string | undefined): number | null {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Parses `ffprobe -print_format json -show_format -show_streams` output (pure; the faststart flag is filled by the caller). */
export function parseProbeJson(json: ProbeJson): Omit<MediaInfo, 'faststart'> {
  const streams = json.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  return {
    durationSec: num(json.format?.duration) ?? 0,
    width: v?.width ?? null,
    height: v?.height ?? null,
    videoCodec: v?.codec_name ?? null,
    audioCodec: a?.codec_name ?? null,
    fps: ratio(v?.avg_frame_rate),
    videoDurationSec: num(v?.duration),
    audioDurationSec: num(a?.duration),
    bitrate: num(json.format?.bit_rate),
    formatName: json.format?.format_name ?? '',
    sizeBytes: num(json.format?.size) ?? 0,
  };
}

/** Top-level ISO-BMFF atom types in file order (reads only the 8/16-byte headers). */
export async function topLevelAtoms(file: string): Promise<string[]> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const types: string[] = [];
    const head = Buffer.alloc(16);
    let pos = 0;
    while (pos + 8 <= size && types.length < 64) {
      const { bytesRead } = await fh.read(head, 0, 16, pos);
      if (bytesRead < 8) break;
      let len = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (!/^[\x20-\x7e]{4}$/.test(type)) break;
      if (len === 1) len = Number(head.readBigUInt64BE(8));
      else if (len === 0) len = size - pos;
      if (len < 8) break;
      types.push(type);
      pos += len;
    }
    return types;
  } finally {
    await fh.close();
  }
}

/** Runs ffprobe on a file and checks the MP4 atom order. */
export async function probeMedia(file: string, ffprobe = requireFfprobe(resolveBinaries()), signal?: AbortSignal): Promise<MediaInfo> {
  const { stdout } = await runProcess(
    ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { signal, timeoutMs: 30_000 },
  );
  const info = parseProbeJson(JSON.parse(stdout.toString()) as ProbeJson);
  let faststart = false;
  if (/mp4|mov/.test(info.formatName)) {
    const atoms = await topLevelAtoms(file);
    const moov = atoms.indexOf('moov');
    const mdat = atoms.indexOf('mdat');
    faststart = moov >= 0 && mdat >= 0 && moov < mdat;
  }
  return { ...info, faststart };
}

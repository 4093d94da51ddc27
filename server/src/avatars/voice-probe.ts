import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** ffprobe arguments that print the container duration and the stream types as JSON. */
export function probeArgs(file: string): string[] {
  return ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name', '-of', 'json', file];
}

/** ffprobe arguments that list the first audio stream's packet end times (for files without a duration, e.g. recorder WebM). */
export function packetArgs(file: string): string[] {
  return ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file];
}

export interface AudioProbe {
  hasAudio: boolean;
  codec: string | null;
  durationSec: number | null;
}

/** Reads ffprobe's JSON; null fields when the file says nothing usable. */
export function parseProbe(stdout: string): AudioProbe {
  const j = JSON.parse(stdout) as { format?: { duration?: string }; streams?: { codec_type?: string; codec_name?: string }[] };
  const audio = (j.streams ?? []).find((s) => s.codec_type === 'audio');
  const d = Number(j.format?.duration);
  return { hasAudio: !!audio, codec: audio?.codec_name ?? null, durationSec: Number.isFinite(d) && d > 0 ? d : null };
}

/** The end of the last packet in `pts_time,duration_time` CSV lines; null when there are none. */
export function parsePacketEnd(stdout: string): number | null {
  let end = 0;
  for (const line of stdout.split('\n')) {
    const [pts, dur] = line.split(',').map(Number);
    if (Number.isFinite(pts)) end = Math.max(end, pts! + (Number.isFinite(dur) ? dur! : 0));
  }
  return end > 0 ? end : null;
}

/** Runs ffprobe on an audio file: stream presence, codec and duration. Throws when ffprobe cannot read it. */
export async function probeAudio(ffprobe: string, file: string): Promise<AudioProbe> {
  const opts = { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 };
  const { stdout } = await run(ffprobe, probeArgs(file), opts);
  const probe = parseProbe(stdout);
  if (probe.hasAudio && probe.durationSec === null) {
    const packets = await run(ffprobe, packetArgs(file), opts);
    probe.durationSec = parsePacketEnd(packets.stdout);
  }
  return probe;
}

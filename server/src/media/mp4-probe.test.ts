import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireFfprobe, resolveBinaries } from './binaries';
import { probeMp4 } from './mp4-probe';
import { probeMedia } from './probe';

const run = promisify(execFile);
const bins = resolveBinaries(process.env);
const ffmpeg = bins.ffmpeg!;
const ffprobe = requireFfprobe(bins);
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp4-probe-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** An H.264/AAC MP4 made the way the renderers make theirs (libx264 without B-frames, AAC, optional faststart). */
async function mp4(name: string, o: { size: string; rate: number; seconds: number; faststart: boolean; audio?: boolean }) {
  const file = path.join(dir, name);
  await run(ffmpeg, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=s=${o.size}:r=${o.rate}:d=${o.seconds}`,
    ...(o.audio === false ? [] : ['-f', 'lavfi', '-i', `sine=f=440:sample_rate=22050:d=${o.seconds}`]),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-pix_fmt', 'yuv420p',
    ...(o.audio === false ? [] : ['-c:a', 'aac', '-b:a', '64k', '-ac', '1']),
    ...(o.faststart ? ['-movflags', '+faststart'] : []),
    file,
  ]);
  return file;
}

describe('probeMp4 (the moov box read in-process)', () => {
  it.each([
    { name: 'portrait.mp4', size: '720x1280', rate: 25, seconds: 4.2, faststart: true },
    { name: 'landscape.mp4', size: '1280x720', rate: 30, seconds: 2.5, faststart: false },
    { name: 'square-silent.mp4', size: '1080x1080', rate: 25, seconds: 1.6, faststart: true, audio: false },
  ])('agrees with ffprobe on $name', async (o) => {
    const file = await mp4(o.name, o);
    const ours = (await probeMp4(file))!;
    const theirs = await probeMedia(file, ffprobe);
    expect(ours).not.toBeNull();
    expect({ w: ours.width, h: ours.height, v: ours.videoCodec, a: ours.audioCodec, faststart: ours.faststart, size: ours.sizeBytes }).toEqual({
      w: theirs.width, h: theirs.height, v: theirs.videoCodec, a: theirs.audioCodec, faststart: theirs.faststart, size: theirs.sizeBytes,
    });
    expect(ours.durationSec).toBeCloseTo(theirs.durationSec, 1);
    expect(ours.videoDurationSec!).toBeCloseTo(theirs.videoDurationSec!, 2);
    if (theirs.audioDurationSec !== null) expect(Math.abs(ours.audioDurationSec! - theirs.audioDurationSec)).toBeLessThan(0.06);
    expect(ours.fps!).toBeCloseTo(theirs.fps!, 1);
  });

  it('answers null (ask ffprobe) for what is not a whole MP4', async () => {
    const wav = path.join(dir, 'tone.wav');
    await run(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=0.5', wav]);
    expect(await probeMp4(wav)).toBeNull();
    const whole = await fs.readFile(await mp4('cut.mp4', { size: '320x240', rate: 25, seconds: 1, faststart: false }));
    const cut = path.join(dir, 'cut-half.mp4');
    await fs.writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    expect(await probeMp4(cut)).toBeNull();
    const garbage = path.join(dir, 'garbage.mp4');
    await fs.writeFile(garbage, Buffer.from('not a video at all, just text'));
    expect(await probeMp4(garbage)).toBeNull();
  });
});

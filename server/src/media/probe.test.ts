import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from './binaries';
import { runFfmpeg } from './ffmpeg.runner';
import { parseProbeJson, probeMedia, topLevelAtoms } from './probe';

const bins = resolveBinaries(process.env);
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'probe-test-'));
  const common = ['-f', 'lavfi', '-i', 'color=c=red:s=64x48:r=10:d=1.5', '-f', 'lavfi', '-i', 'sine=f=440:d=1.5', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest'];
  await runFfmpeg(bins.ffmpeg!, [...common, '-movflags', '+faststart', path.join(dir, 'fast.mp4')]);
  await runFfmpeg(bins.ffmpeg!, [...common, path.join(dir, 'slow.mp4')]);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('probeMedia', () => {
  it('reports codecs, size, frame rate, duration and faststart of a real MP4', async () => {
    const info = await probeMedia(path.join(dir, 'fast.mp4'), bins.ffprobe!);
    expect(info).toMatchObject({ width: 64, height: 48, videoCodec: 'h264', audioCodec: 'aac', fps: 10, faststart: true });
    expect(info.durationSec).toBeGreaterThan(1.4);
    expect(info.durationSec).toBeLessThan(1.7);
    expect(info.bitrate).toBeGreaterThan(0);
    expect(await topLevelAtoms(path.join(dir, 'fast.mp4'))).toEqual(expect.arrayContaining(['ftyp', 'moov', 'mdat']));
  });

  it('says faststart is false when the index sits after the media data', async () => {
    const info = await probeMedia(path.join(dir, 'slow.mp4'), bins.ffprobe!);
    expect(info.faststart).toBe(false);
    const atoms = await topLevelAtoms(path.join(dir, 'slow.mp4'));
    expect(atoms.indexOf('mdat')).toBeLessThan(atoms.indexOf('moov'));
  });

  it('fails with ffprobe\'s reason for a file that is not media', async () => {
    const f = path.join(dir, 'junk.mp4');
    await fs.writeFile(f, 'not a video');
    await expect(probeMedia(f, bins.ffprobe!)).rejects.toThrow(/ffprobe failed/);
  });

  it.each([
    { json: { streams: [{ codec_type: 'audio', codec_name: 'mp3', duration: '2.5' }], format: { duration: '2.5', format_name: 'mp3' } }, want: { videoCodec: null, audioCodec: 'mp3', width: null, fps: null, durationSec: 2.5, audioDurationSec: 2.5 } },
    { json: { streams: [{ codec_type: 'video', codec_name: 'h264', width: 720, height: 1280, avg_frame_rate: '25/1' }], format: {} }, want: { videoCodec: 'h264', audioCodec: null, width: 720, fps: 25, durationSec: 0 } },
    { json: { streams: [{ codec_type: 'video', codec_name: 'h264', avg_frame_rate: '0/0' }] }, want: { fps: null, bitrate: null } },
  ])('parses ffprobe JSON ($want)', ({ json, want }) => {
    expect(parseProbeJson(json)).toMatchObject(want);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from './binaries';
import { gateFramesArgs, mp4Output } from './ffmpeg-args';
import { runFfmpegTapped } from './ffmpeg.pipeline';
import { runFfmpeg } from './ffmpeg.runner';

const ffmpeg = resolveBinaries(process.env).ffmpeg!;
let dir: string;
beforeAll(async () => {
  // A folder name with the tee muxer's special characters: the MP4 must still land there.
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "pipeline a|b [it's]-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const W = 320;
const H = 240;
const y4mHeader = Buffer.from(`YUV4MPEG2 W${W} H${H} F25:1 Ip A1:1 C420jpeg\n`, 'latin1');
const FRAME = Buffer.from('FRAME\n', 'latin1');

describe('runFfmpegTapped', () => {
  it('streams frames from one reused buffer, writes the MP4 and decodes the same packets on the tap while encoding', async () => {
    const out = path.join(dir, 'clip.mp4');
    const levels = [20, 60, 100, 140, 180, 220, 60, 20];
    // One buffer, redrawn after each write resolves: a write that resolved before its bytes left would show
    // a later level in an earlier frame (a frame is 115 KB, more than a pipe holds, so it is never written at once).
    const frame = new Uint8Array((W * H * 3) / 2);
    const { tapStdout } = await runFfmpegTapped(
      ffmpeg,
      ['-f', 'yuv4mpegpipe', '-i', 'pipe:0', '-map', '0:v:0', '-c:v', 'libx264', '-preset', 'veryfast', '-qp', '0', '-pix_fmt', 'yuv420p', ...mp4Output(out, true)],
      gateFramesArgs('pipe:0', W, H, 25, 'nut'),
      async (write) => {
        await write(y4mHeader);
        for (const l of levels) {
          frame.fill(l, 0, W * H);
          frame.fill(128, W * H);
          await write(FRAME);
          await write(frame);
        }
      },
    );
    const size = W * H;
    expect(tapStdout.length).toBe(levels.length * size);
    const means = levels.map((_, i) => tapStdout.subarray(i * size, (i + 1) * size).reduce((s, v) => s + v, 0) / size);
    // `format=gray` expands the video range (16–235) to full range.
    means.forEach((m, i) => expect(Math.abs(m - ((levels[i]! - 16) * 255) / 219), `frame ${i}`).toBeLessThan(1.5));
    // The tap saw exactly what the MP4 holds.
    const fromFile = (await runFfmpeg(ffmpeg, gateFramesArgs(out, W, H, 25))).stdout;
    expect(Buffer.compare(fromFile, tapStdout)).toBe(0);
    const head = await fs.readFile(out);
    expect(head.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat')); // faststart
  });

  it('runs without a producer or a tap', async () => {
    const out = path.join(dir, 'plain.mp4');
    const r = await runFfmpegTapped(ffmpeg, ['-f', 'lavfi', '-i', `color=gray:s=${W}x${H}:d=0.2`, '-c:v', 'libx264', ...mp4Output(out)], null, null);
    expect(r.tapStdout.length).toBe(0);
    expect((await fs.stat(out)).size).toBeGreaterThan(100);
  });

  it('rejects with the encoder’s error when the encoder fails while frames are written', async () => {
    const p = runFfmpegTapped(ffmpeg, ['-f', 'yuv4mpegpipe', '-i', 'pipe:0', '-c:v', 'no-such-codec', path.join(dir, 'x.mp4')], null, async (write) => {
      await write(y4mHeader);
      for (let i = 0; i < 50; i++) {
        await write(FRAME);
        await write(new Uint8Array((W * H * 3) / 2));
      }
    });
    await expect(p).rejects.toMatchObject({ name: 'ProcessError', stderrTail: expect.stringMatching(/no-such-codec/) });
  });

  it('rejects when the tap fails', async () => {
    const p = runFfmpegTapped(
      ffmpeg,
      ['-f', 'lavfi', '-i', `color=gray:s=${W}x${H}:d=0.5`, '-map', '0:v:0', '-c:v', 'libx264', ...mp4Output(path.join(dir, 't.mp4'), true)],
      ['-f', 'nut', '-i', 'pipe:0', '-vf', 'no_such_filter', '-f', 'rawvideo', 'pipe:1'],
      null,
    );
    await expect(p).rejects.toMatchObject({ name: 'ProcessError', stderrTail: expect.stringMatching(/no_such_filter/) });
  });

  it('stops both processes when aborted, and rejects with the abort reason', async () => {
    const ac = new AbortController();
    const p = runFfmpegTapped(
      ffmpeg,
      ['-f', 'yuv4mpegpipe', '-i', 'pipe:0', '-map', '0:v:0', '-c:v', 'libx264', ...mp4Output(path.join(dir, 'a.mp4'), true)],
      gateFramesArgs('pipe:0', W, H, 25, 'nut'),
      async (write) => {
        await write(y4mHeader);
        for (let i = 0; ; i++) {
          if (i === 5) ac.abort(new Error('stop now'));
          ac.signal.throwIfAborted();
          await write(FRAME);
          await write(new Uint8Array((W * H * 3) / 2));
        }
      },
      { signal: ac.signal },
    );
    await expect(p).rejects.toThrow('stop now');
  });
});

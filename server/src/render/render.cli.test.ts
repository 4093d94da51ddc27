import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Real TTS, ffmpeg encodes and frame decoding: slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 180_000 });
import { probeMedia } from '../media/probe';
import { renderCli } from './render.cli';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'render-cli-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const FACES = path.resolve(__dirname, '../../test/fixtures/faces');

describe('npm run render', () => {
  it('renders a Vietnamese script over a photo to MP4, poster and GIF without the server', async () => {
    const out = path.join(dir, 'vi.mp4');
    await renderCli(['--photo', path.join(FACES, 'portrait-astronaut.png'), '--script', 'Xin chào! Đây là video dành cho bạn.', '--out', out, '--renderer', 'static', '--format', 'square']);
    expect(await probeMedia(out)).toMatchObject({ width: 1080, height: 1080, videoCodec: 'h264', audioCodec: 'aac', faststart: true });
    expect((await fs.stat(path.join(dir, 'vi.jpg'))).size).toBeGreaterThan(1000);
    expect((await fs.stat(path.join(dir, 'vi.gif'))).size).toBeGreaterThan(1000);
  });

  it('falls back to the static renderer when the photo has no face (a cat)', async () => {
    const out = path.join(dir, 'cat.mp4');
    await renderCli(['--photo', path.join(FACES, 'cat-chelsea.png'), '--script', 'Hello there.', '--out', out]);
    expect((await probeMedia(out)).videoCodec).toBe('h264');
  });

  it('says which arguments are missing', async () => {
    await expect(renderCli(['--script', 'hi'])).rejects.toThrow(/--photo is required; --out is required/);
    await expect(renderCli(['--photo', 'x', '--script', 'hi', '--out', 'o.mp4', '--format', 'wide'])).rejects.toThrow(/--format must be/);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, requireFfmpeg, resolveBinaries } from './binaries';

describe('resolveBinaries', () => {
  it('prefers FFMPEG_PATH, FFPROBE_PATH and ESPEAK_PATH over the system PATH', () => {
    const b = resolveBinaries({ FFMPEG_PATH: '/opt/ff/ffmpeg', FFPROBE_PATH: '/opt/ff/ffprobe', ESPEAK_PATH: '/opt/es/espeak-ng' });
    expect(b).toEqual({ ffmpeg: '/opt/ff/ffmpeg', ffprobe: '/opt/ff/ffprobe', espeak: { kind: 'cli', path: '/opt/es/espeak-ng' } });
  });

  it('finds the system binaries on PATH', () => {
    const b = resolveBinaries({});
    expect(b.ffmpeg).toMatch(/ffmpeg$/);
    expect(b.ffprobe).toMatch(/ffprobe$/);
    expect(b.espeak).toMatchObject({ kind: 'cli' });
  });

  it('falls back to the npm-shipped builds when nothing is on PATH', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'nopath-'));
    const b = resolveBinaries({ PATH: empty });
    // The npm fallbacks are dependencies of the server package; espeak runs as WASM in a child process.
    expect(b.ffmpeg).toMatch(/@ffmpeg-installer/);
    expect(b.ffprobe).toMatch(/@ffprobe-installer/);
    expect(b.espeak).toMatchObject({ kind: 'wasm', node: process.execPath });
    await fs.rm(empty, { recursive: true });
  });

  it('finds executables only, like which', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'which-'));
    await fs.writeFile(path.join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o644 });
    expect(findOnPath('tool', dir)).toBeNull();
    await fs.chmod(path.join(dir, 'tool'), 0o755);
    expect(findOnPath('tool', dir)).toBe(path.join(dir, 'tool'));
    await fs.rm(dir, { recursive: true });
  });

  it('says how to install ffmpeg when it is missing', () => {
    expect(() => requireFfmpeg({ ffmpeg: null, ffprobe: null, espeak: { kind: 'none' } })).toThrow(/apt-get install ffmpeg.*FFMPEG_PATH/);
  });
});

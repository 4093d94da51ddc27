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

  it('prefers system binaries on PATH over the npm-shipped builds', async () => {
    // Stand-in executables, so the test means the same on a machine with or without Debian's ffmpeg/espeak-ng.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'syspath-'));
    for (const name of ['ffmpeg', 'ffprobe', 'espeak-ng']) await fs.writeFile(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
    const b = resolveBinaries({ PATH: `/nonexistent${path.delimiter}${dir}` });
    expect(b).toEqual({ ffmpeg: path.join(dir, 'ffmpeg'), ffprobe: path.join(dir, 'ffprobe'), espeak: { kind: 'cli', path: path.join(dir, 'espeak-ng') } });
    await fs.rm(dir, { recursive: true });
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

import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to run espeak-ng: the native CLI, or the npm emscripten build in a child process (GPL code stays out of our process). */
export type EspeakBinary =
  | { kind: 'cli'; path: string }
  | { kind: 'wasm'; node: string; script: string }
  | { kind: 'none' };

/** Resolved media tools; a missing ffmpeg/ffprobe is `null` so callers can say what to install. */
export interface MediaBinaries {
  ffmpeg: string | null;
  ffprobe: string | null;
  espeak: EspeakBinary;
}

export interface BinaryEnv {
  FFMPEG_PATH?: string;
  FFPROBE_PATH?: string;
  ESPEAK_PATH?: string;
  PATH?: string;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` on PATH, like `which`. */
export function findOnPath(name: string, pathVar = process.env.PATH ?? ''): string | null {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

const require = createRequire(import.meta.url);

/** An optional npm package that exports `{ path }` to a binary (e.g. @ffmpeg-installer/ffmpeg), if installed. */
function optionalPackageBinary(pkg: string): string | null {
  try {
    const mod = require(pkg) as { path?: string };
    return mod.path && isExecutable(mod.path) ? mod.path : null;
  } catch {
    return null;
  }
}

function optionalPackageInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** The child script that runs @echogarden/espeak-ng-emscripten (see espeak-wasm.child.mjs). */
export const ESPEAK_WASM_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'espeak-wasm.child.mjs');

/**
 * Finds ffmpeg, ffprobe and espeak-ng: the env variable first, then the system PATH, then an optional
 * npm package (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe, @echogarden/espeak-ng-emscripten).
 */
export function resolveBinaries(env: BinaryEnv = {}): MediaBinaries {
  const pathVar = env.PATH ?? process.env.PATH ?? '';
  const ffmpeg = env.FFMPEG_PATH ?? findOnPath('ffmpeg', pathVar) ?? optionalPackageBinary('@ffmpeg-installer/ffmpeg');
  const ffprobe =
    env.FFPROBE_PATH ??
    (env.FFMPEG_PATH ? siblingProbe(env.FFMPEG_PATH) : null) ??
    findOnPath('ffprobe', pathVar) ??
    optionalPackageBinary('@ffprobe-installer/ffprobe');
  let espeak: EspeakBinary = { kind: 'none' };
  const cli = env.ESPEAK_PATH ?? findOnPath('espeak-ng', pathVar);
  if (cli) espeak = { kind: 'cli', path: cli };
  else if (optionalPackageInstalled('@echogarden/espeak-ng-emscripten')) {
    espeak = { kind: 'wasm', node: process.execPath, script: ESPEAK_WASM_CHILD };
  }
  return { ffmpeg, ffprobe, espeak };
}

/** ffprobe next to a configured ffmpeg (same folder), when it exists. */
function siblingProbe(ffmpegPath: string): string | null {
  const candidate = path.join(path.dirname(ffmpegPath), path.basename(ffmpegPath).replace('ffmpeg', 'ffprobe'));
  return candidate !== ffmpegPath && isExecutable(candidate) ? candidate : null;
}

/** The ffmpeg path, or an error that says how to get one. */
export function requireFfmpeg(b: MediaBinaries): string {
  if (!b.ffmpeg) throw new Error('ffmpeg not found: install Debian ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH');
  return b.ffmpeg;
}

/** The ffprobe path, or an error that says how to get one. */
export function requireFfprobe(b: MediaBinaries): string {
  if (!b.ffprobe) throw new Error('ffprobe not found: install Debian ffmpeg (apt-get install ffmpeg) or set FFPROBE_PATH');
  return b.ffprobe;
}

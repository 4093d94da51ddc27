import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_PORTRAITS } from '../../test/fixtures/portraits/portraits';
import { resolveBinaries } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import { frameLoudnessDb, parseWav } from '../media/wav';
import { posedFrames } from './clip';
import { planRuns, type PlannedFrame } from './frame-plan';
import { planeOffsets, warpHead, type HeadRig } from './head-warp';
import { preparePhoto } from './local-render';
import { planTalking, rigFor } from './photo.renderer';
import type { PreparedAvatar } from './prepared';
import { spriteFiles } from './sprite-files';

// Face detection, TTS and a few hundred full-frame comparisons.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let dir: string;
let prepared: PreparedAvatar;
let rig: HeadRig;
let plan: PlannedFrame[];
let raw: Map<string, Uint8Array>;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clip-test-'));
  const portrait = TEST_PORTRAITS.find((p) => p.id === 'hopper-brick')!;
  prepared = await preparePhoto(await fs.readFile(portrait.file), 'portrait');
  rig = rigFor(prepared)!;
  const speech = await new EspeakTts(resolveBinaries(process.env).espeak).synthesize(
    'Hi Minh, thanks for the quick reply about the budget. Let me show you the plan for next week, and we can talk on Monday.',
    { language: 'en' },
    dir,
  );
  const frameCount = Math.ceil(speech.durationSec * 25);
  const loudnessDb = frameLoudnessDb(parseWav(await fs.readFile(speech.wavPath)), 25);
  plan = planTalking({ prepared, rig, loudnessDb, marks: speech.marks, frameCount, headMotion: true });
  const size = planeOffsets(prepared.width, prepared.height).size;
  const files = await spriteFiles(prepared, [...new Set(planRuns(plan).map((r) => r.sprite))], path.join(dir, 'cache'));
  raw = new Map();
  for (const [name, file] of files) {
    const b = await fs.readFile(file);
    raw.set(name, new Uint8Array(b.buffer, b.byteOffset + b.indexOf('FRAME\n') + 6, size));
  }
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** Every posed frame drawn in place equals a fresh warp of its sprite (a copy of the sprite, warpHead over it). */
function expectFreshWarps(sprites: Map<string, Uint8Array>) {
  const drawer = posedFrames(prepared, rig, sprites);
  let checked = 0;
  for (const r of planRuns(plan)) {
    if (r.key === r.sprite) continue;
    const src = sprites.get(r.sprite)!;
    const fresh = src.slice();
    warpHead(rig, src, fresh, r.pose);
    const drawn = drawer.draw(r.sprite, r.pose);
    expect(Buffer.compare(drawn, fresh), `frame ${r.key}`).toBe(0);
    checked++;
  }
  return { checked, ...drawer.stats, commonOutside: drawer.commonOutside };
}

describe('posed frames drawn in place', () => {
  it('equal a fresh warp of their sprite, while most of them redraw only what changed', () => {
    const s = expectFreshWarps(raw);
    expect(s.commonOutside).toBe(true);
    expect(s.checked).toBeGreaterThan(100);
    expect(s.partial).toBeGreaterThan(s.checked / 3);
  });

  it('still equal a fresh warp when the sprites differ outside the head and mouth boxes (whole copies then)', () => {
    const changed = new Map(raw);
    const name = [...raw.keys()].find((k) => k !== 'm0')!;
    const edited = raw.get(name)!.slice();
    const at = prepared.width * (prepared.height - 3) + 5; // a pixel near the bottom-left corner
    edited[at] = edited[at]! ^ 0x40;
    changed.set(name, edited);
    const s = expectFreshWarps(changed);
    expect(s.commonOutside).toBe(false);
    expect(s.checked).toBeGreaterThan(100);
  });
});

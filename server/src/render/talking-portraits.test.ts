import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_PORTRAITS } from '../../test/fixtures/portraits/portraits';
import { resolveBinaries } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import type { TtsResult } from '../media/tts';
import { thumbnailTexts } from './captions';
import { planeOffsets, landmarkShift, warpHead } from './head-warp';
import { preparePhoto } from './local-render';
import { DEFAULT_LIMITS } from './motion';
import { renderTalking, renderTalkingChecked } from './photo.renderer';
import type { PreparedAvatar } from './prepared';
import { checkTalkingVideo, decodeQuarterGray } from './quality-gate';
import { spriteFiles } from './sprite-files';
import { visemeOf } from './visemes';

// Real TTS, encodes and decodes of 15 s videos on five portraits: slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const bins = resolveBinaries(process.env);
const ffmpeg = bins.ffmpeg!;
const tts = new EspeakTts(bins.espeak);
// About 15 s each with espeak's default rate.
const SCRIPTS = {
  en: 'Hi Priya, thanks for your email about the renewal. I looked at the numbers you sent, and I think we can make the timeline work if we move the kickoff to the second week of March. The team is excited about the new dashboard, and we would love to show you a short demo.',
  vi: 'Chào anh Minh! Cảm ơn anh đã gửi báo giá hôm qua. Em đã xem kỹ các con số và nghĩ rằng chúng ta có thể bắt đầu vào tuần sau. Em sẽ gửi lịch họp cho anh nhé, và mong sớm được gặp anh tại văn phòng của công ty vào sáng thứ năm.',
} as const;

let dir: string;
const speech: Partial<Record<keyof typeof SCRIPTS, TtsResult>> = {};
const prepared = new Map<string, PreparedAvatar>();
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portraits-test-'));
  for (const lang of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
    speech[lang] = await tts.synthesize(SCRIPTS[lang], { language: lang }, await fs.mkdtemp(path.join(dir, `${lang}-`)));
  }
  for (const p of TEST_PORTRAITS) prepared.set(p.id, await preparePhoto(await fs.readFile(p.file), 'portrait'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe.each(TEST_PORTRAITS.map((p) => ({ id: p.id })))('talking portrait $id', ({ id }) => {
  it.each(['en', 'vi'] as const)('moves the mouth with the loudness (r ≥ 0.75, decoded and head-pose compensated), lips shut at every m/b/p, background pinned (%s)', async (lang) => {
    const p = prepared.get(id)!;
    const s = speech[lang]!;
    expect(s.durationSec).toBeGreaterThan(12);
    const workDir = await fs.mkdtemp(path.join(dir, `${id}-${lang}-`));
    const out = await renderTalking({ ffmpeg, prepared: p, speech: s, texts: thumbnailTexts(lang, 'Minh'), workDir, cacheDir: path.join(dir, 'cache'), headMotion: true });
    const gate = await checkTalkingVideo({ ffmpeg, videoPath: out.videoPath, wavPath: s.wavPath, prepared: p, plan: out.plan, rig: out.rig, fps: 25 });
    expect(gate.problems).toEqual([]);
    expect(gate.r, `r for ${id} ${lang}`).toBeGreaterThanOrEqual(0.75);
    // Every m/b/p of the speech has shut lips in a frame it overlaps (the plan the encoder was given).
    const bilabials = (s.marks ?? []).filter((m) => m.kind === 'phoneme' && visemeOf(m.value).viseme === 'closed');
    expect(bilabials.length).toBeGreaterThan(4);
    for (const m of bilabials) {
      const a = Math.floor((m.startMs / 1000) * 25);
      const b = Math.ceil((m.endMs / 1000) * 25);
      expect(out.plan.slice(Math.max(0, a - 1), b + 1).some((f) => f.mouth === 'closed'), `lips shut at ${m.value} ${m.startMs} ms`).toBe(true);
    }
    // The head really moves, and stays within the limits.
    const rig = out.rig!;
    const poses = [...new Set(out.plan.map((f) => f.pose))];
    expect(poses.length).toBeGreaterThan(10);
    const shift = DEFAULT_LIMITS.maxShift * rig.faceWidthPx;
    for (const q of poses) {
      expect(Math.abs(q.roll)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRollDeg + 1e-9);
      expect(Math.abs(q.dx)).toBeLessThanOrEqual(shift + 1e-9);
      expect(Math.abs(q.dy)).toBeLessThanOrEqual(shift + 1e-9);
    }
    const moves = poses.map((q) => landmarkShift(rig, p.landmarks, q).maxMovePx);
    expect(Math.max(...moves)).toBeGreaterThan(1);
    // The set amplitude bounds how far any face landmark can move: roll × its distance from the neck pivot,
    // plus the largest shift on both axes.
    const reach = Math.max(...p.landmarks.map((l) => Math.hypot(l.x - rig.pivot.x, l.y - rig.pivot.y)));
    const bound = ((DEFAULT_LIMITS.maxRollDeg * Math.PI) / 180) * reach + Math.SQRT2 * shift;
    expect(Math.max(...moves)).toBeLessThanOrEqual(bound + 1e-6);
    expect(bound).toBeLessThanOrEqual(0.08 * rig.faceWidthPx);
    // Decoded: outside the head and mouth boxes the picture does not change from frame to frame. Tolerance: x264
    // re-quantizes the static background at each keyframe (every 10 s), about 1 gray level of mean change.
    expect(gate.backgroundDiff).toBeLessThanOrEqual(1.5);
  });
});

describe('head motion keeps the background pinned in the frames the renderer generates', () => {
  it('changes no pixel outside the head box, and none at the image edge, on the posed frames of a render', async () => {
    const p = prepared.get('hopper-brick')!;
    const s = speech.en!;
    const workDir = await fs.mkdtemp(path.join(dir, 'pinned-'));
    const out = await renderTalking({ ffmpeg, prepared: p, speech: s, texts: thumbnailTexts('en'), workDir, cacheDir: path.join(dir, 'cache'), headMotion: true, decodeForGate: true });
    const rig = out.rig!;
    const { size, u } = planeOffsets(p.width, p.height);
    const files = await spriteFiles(p, ['m0', 'm4'], path.join(dir, 'cache'));
    const raw = async (f: string) => {
      const b = await fs.readFile(f);
      return new Uint8Array(b.buffer, b.byteOffset + b.indexOf('FRAME\n') + 6, size);
    };
    const poses = [...new Set(out.plan.map((f) => f.pose))];
    let changedInside = 0;
    let changedOutside = 0;
    for (const name of ['m0', 'm4']) {
      const src = await raw(files.get(name)!);
      for (const pose of poses.slice(0, 40)) {
        const dst = src.slice();
        warpHead(rig, src, dst, pose);
        for (let y = 0; y < p.height; y++) {
          for (let x = 0; x < p.width; x++) {
            const i = y * p.width + x;
            const inside = x >= rig.box.x && x < rig.box.x + rig.box.w && y >= rig.box.y && y < rig.box.y + rig.box.h;
            const edge = x < 2 || y < 2 || x >= p.width - 2 || y >= p.height - 2;
            if (dst[i] === src[i]) continue;
            if (!inside || edge) changedOutside++;
            else changedInside++;
          }
        }
        // Chroma outside the (halved) box is untouched too.
        for (let k = u; k < size; k++) {
          const plane = k < u + (size - u) / 2 ? 0 : 1;
          const j = k - u - plane * ((size - u) / 2);
          const x = (j % (p.width / 2)) * 2;
          const y = Math.floor(j / (p.width / 2)) * 2;
          const inside = x >= rig.box.x && x < rig.box.x + rig.box.w && y >= rig.box.y && y < rig.box.y + rig.box.h;
          if (!inside && dst[k] !== src[k]) changedOutside++;
        }
      }
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(1000);
    // The decoded MP4 at quarter size: outside the head box every frame matches the first within x264's noise.
    const decoded = await decodeQuarterGray(ffmpeg, out.videoPath, p.width, p.height, 25);
    expect(decoded.frames.length).toBeGreaterThan(300);
    // The frames the gate decoded during the encode (from the encoder's tee) are the MP4's frames, byte for byte.
    expect(out.gateFrames!.frames.length).toBe(decoded.frames.length);
    expect(out.gateFrames!.frames.every((f, i) => Buffer.compare(f, decoded.frames[i]!) === 0)).toBe(true);
    // What may change: the head box (head motion) and the mouth sprites' box (the jaw drop reaches below the chin).
    const mb = p.mouthBox;
    const x0 = Math.min(rig.box.x, mb.x);
    const y0 = Math.min(rig.box.y, mb.y);
    const x1 = Math.max(rig.box.x + rig.box.w, mb.x + mb.w);
    const y1 = Math.max(rig.box.y + rig.box.h, mb.y + mb.h);
    const q = { x: Math.floor(x0 / 4) - 1, y: Math.floor(y0 / 4) - 1, w: Math.ceil((x1 - x0) / 4) + 2, h: Math.ceil((y1 - y0) / 4) + 2 };
    // Frame to frame, the background's mean change stays within the keyframe re-quantization noise (≤ 1.5 gray
    // levels; it is ~0.1 between keyframes). For comparison, the same background shifted by one quarter-size pixel
    // (4 px of the video: what a dragged background would look like) changes far more on this brick wall.
    const outside = (a: Uint8Array, b: Uint8Array, dx = 0) => {
      let sum = 0;
      let n = 0;
      for (let y = 0; y < decoded.h; y++) {
        for (let x = 1; x < decoded.w - 1; x++) {
          if (x >= q.x && x < q.x + q.w && y >= q.y && y < q.y + q.h) continue;
          sum += Math.abs(a[y * decoded.w + x]! - b[y * decoded.w + x + dx]!);
          n++;
        }
      }
      return sum / n;
    };
    let worst = 0;
    for (let k = 1; k < decoded.frames.length; k++) worst = Math.max(worst, outside(decoded.frames[k]!, decoded.frames[k - 1]!));
    const shifted = outside(decoded.frames[0]!, decoded.frames[0]!, 1);
    expect(worst).toBeLessThanOrEqual(1.5);
    expect(shifted).toBeGreaterThan(3 * worst);
  });
});

describe('quality gate', () => {
  it('retries a frozen mouth with lips only, and refuses to ship one that stays frozen', async () => {
    const p = prepared.get('astronaut')!;
    const s = speech.en!;
    const common = { ffmpeg, prepared: p, speech: s, texts: thumbnailTexts('en'), cacheDir: path.join(dir, 'cache'), headMotion: true };
    const retried = await renderTalkingChecked({ ...common, workDir: await fs.mkdtemp(path.join(dir, 'gate1-')), frozenMouth: 'first' });
    expect(retried.attempts).toBe(2);
    expect(retried.gate.ok).toBe(true);
    expect(retried.gate.r).toBeGreaterThanOrEqual(0.75);
    expect(retried.plan.every((f) => f.pose.roll === 0 && f.pose.dx === 0)).toBe(true);
    await expect(renderTalkingChecked({ ...common, workDir: await fs.mkdtemp(path.join(dir, 'gate2-')), frozenMouth: 'always' })).rejects.toMatchObject({ code: 'render_quality_failed' });
  });
});

import { describe, expect, it } from 'vitest';
import type { SpeechMark } from '../media/tts';
import { blinkStarts, BLINK_FRAMES, holdClosures, MIN_HOLD, normaliseLoudness, planFrames, planRuns, spriteOf, type Mouth } from './frame-plan';
import { poseDistance, quantizePoses } from './motion';
import { visemeOf } from './visemes';

describe('visemeOf', () => {
  it.each([
    ['m', 'closed'], ['b', 'closed'], ['p', 'closed'], ["'m", 'closed'],
    ['A:', 'open'], ['ˈɑː', 'open'], ['a', 'open'], ['@', 'open'], ['ə', 'open'], ['i:', 'open'], ['E', 'open'],
    ['oU', 'rounded'], ['ˈoʊ', 'rounded'], ['u:', 'rounded'], ['U', 'rounded'], ['w', 'rounded'], ['O:', 'rounded'], ['ɔ', 'rounded'],
    ['f', 'labiodental'], ['v', 'labiodental'],
    ['t', 'consonant'], ['s', 'consonant'], ['k', 'consonant'], ['n', 'consonant'], ['tS', 'consonant'], ['l', 'consonant'],
  ])('maps %s to %s', (ph, want) => {
    expect(visemeOf(ph).viseme).toBe(want);
  });

  it('opens wide vowels more than mid and close vowels', () => {
    expect(visemeOf('A:').openness).toBeGreaterThan(visemeOf('@').openness);
    expect(visemeOf('@').openness).toBeGreaterThan(visemeOf('i:').openness);
  });
});

const ph = (value: string, startMs: number, endMs: number): SpeechMark => ({ kind: 'phoneme', value, startMs, endMs });
/** "mama papa" as espeak times it (ms), with a pause after. */
const MAMA_PAPA = [
  ph('m', 0, 84), ph('ˈɑː', 84, 168), ph('m', 168, 226), ph('ɐ', 226, 314),
  ph('p', 314, 346), ph('ˈɑː', 346, 558), ph('p', 558, 591), ph('ə', 591, 666),
];

describe('planFrames', () => {
  const fps = 25;
  const loud = (n: number, speechFrames: number) => Float32Array.from({ length: n }, (_, i) => (i < speechFrames ? -12 - (i % 3) : -120));

  it('closes the lips at each m and p of "mama papa" and opens them on the vowels', () => {
    const frames = planFrames({ fps, frameCount: 30, levels: 6, loudnessDb: loud(30, 17), marks: MAMA_PAPA });
    for (const m of MAMA_PAPA.filter((x) => /^[mp]$/.test(x.value))) {
      const a = Math.floor((m.startMs * fps) / 1000);
      const b = Math.ceil((m.endMs * fps) / 1000);
      const window = frames.slice(Math.max(0, a - 1), b + 1).map((f) => f.mouth);
      expect(window, `lips closed around ${m.value} at ${m.startMs} ms`).toContain('closed');
    }
    // The long stressed vowel of "pa" (346–558 ms) is open.
    const vowel = frames.slice(Math.ceil(0.4 * fps), Math.floor(0.52 * fps)).map((f) => f.mouth);
    for (const m of vowel) expect(typeof m === 'number' && m >= 2).toBe(true);
    const closedRuns = planRuns(frames).filter((r) => r.sprite === 'closed');
    expect(closedRuns.length).toBeGreaterThanOrEqual(3);
    for (const r of closedRuns) expect(r.frames).toBeGreaterThanOrEqual(MIN_HOLD);
  });

  it('keeps the mouth at rest (level 0) in pauses', () => {
    const frames = planFrames({ fps, frameCount: 50, levels: 6, loudnessDb: loud(50, 17), marks: MAMA_PAPA });
    for (const f of frames.slice(20)) expect(f.mouth).toBe(0);
  });

  it('follows the loudness of a recording when there are no phoneme marks', () => {
    const db = Float32Array.from([-120, -120, -40, -40, -30, -30, -20, -20, -10, -10, -10, -10, -120, -120, -120]);
    const mouths = planFrames({ fps, frameCount: db.length, levels: 6, loudnessDb: db }).map((f) => f.mouth as number);
    expect(mouths.slice(0, 2)).toEqual([0, 0]);
    expect(mouths.slice(-2)).toEqual([0, 0]);
    expect(mouths[10]!).toBeGreaterThan(mouths[4]!);
    for (let i = 3; i < 11; i++) expect(mouths[i]!).toBeGreaterThanOrEqual(mouths[i - 1]! - 0);
  });

  it('normalises loudness between quantiles and gates silence to 0', () => {
    const n = normaliseLoudness(Float32Array.from([-120, -70, -30, -20, -10]));
    expect(n[0]).toBe(0);
    expect(n[1]).toBe(0);
    expect(n[4]).toBe(1);
    expect(n[3]!).toBeGreaterThan(n[2]!);
  });
});

describe('holdClosures', () => {
  it.each<{ name: string; input: Mouth[]; want: Mouth[] }>([
    { name: 'stretches a one-frame closure to two frames', input: [3, 3, 'closed', 3, 3], want: [3, 3, 'closed', 'closed', 3] },
    { name: 'keeps longer closures as they are', input: [3, 'closed', 'closed', 'closed', 4], want: [3, 'closed', 'closed', 'closed', 4] },
    { name: 'stretches backwards at the end of the clip', input: [3, 4, 'closed'], want: [3, 'closed', 'closed'] },
    { name: 'leaves openings alone (no hold that would lag the voice)', input: [1, 4, 2, 5, 0], want: [1, 4, 2, 5, 0] },
  ])('$name', ({ input, want }) => {
    expect(holdClosures(input)).toEqual(want);
  });
});

describe('blinks', () => {
  it('blinks every 3–5 s for three frames, the same way for the same seed', () => {
    const starts = blinkStarts(25 * 60, 25, 7);
    expect(starts).toEqual(blinkStarts(25 * 60, 25, 7));
    expect(starts[0]! / 25).toBeGreaterThanOrEqual(1);
    expect(starts[0]! / 25).toBeLessThanOrEqual(2.5);
    for (let i = 1; i < starts.length; i++) {
      const gap = (starts[i]! - starts[i - 1]!) / 25;
      expect(gap).toBeGreaterThanOrEqual(2.95);
      expect(gap).toBeLessThanOrEqual(5.05);
    }
    const frames = planFrames({ fps: 25, frameCount: 250, levels: 6, loudnessDb: new Float32Array(250).fill(-120), seed: 7 });
    const blinkRuns = planRuns(frames).filter((r) => r.sprite.startsWith('b'));
    expect(blinkRuns.length).toBeGreaterThanOrEqual(2);
    for (const r of blinkRuns) expect(r.frames).toBe(BLINK_FRAMES);
  });

  it.each([
    [{ mouth: 3, blink: false }, 'm3'],
    [{ mouth: 3, blink: true }, 'b3'],
    [{ mouth: 'closed' as const, blink: false }, 'closed'],
    [{ mouth: 'rounded' as const, blink: true }, 'b0'],
  ])('names the sprite of %o as %s', (f, want) => {
    expect(spriteOf(f)).toBe(want);
  });
});

describe('quantizePoses', () => {
  const radius = 100;
  // A head drifting right by 0.4 px a frame.
  const drift = Array.from({ length: 40 }, (_, i) => ({ roll: 0, dx: 0.4 * (i + 1), dy: 0, brow: 0 }));

  it('re-poses after the step size, on its own frame when nothing else changes', () => {
    const q = quantizePoses(drift, drift.map(() => false), radius, 1, 1, 1);
    const steps = q.map((p, i) => (i > 0 && p !== q[i - 1] ? i : -1)).filter((i) => i >= 0);
    expect(steps.length).toBeGreaterThan(8);
    for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBeLessThanOrEqual(3);
  });

  it('with waitFrames, moves a re-pose onto the next frame whose mouth changes, lagging at most that long', () => {
    // The mouth changes every third frame.
    const changed = drift.map((_, i) => i % 3 === 0);
    const aligned = quantizePoses(drift, changed, radius, 1, 1, 1);
    const eager = quantizePoses(drift, changed, radius, 1, 1, 0);
    const stepFrames = (q: typeof aligned) => q.map((p, i) => (i > 0 && p !== q[i - 1] ? i : -1)).filter((i) => i >= 0);
    const alone = (q: typeof aligned) => stepFrames(q).filter((i) => !changed[i]).length;
    expect(alone(eager)).toBeGreaterThan(3);
    expect(alone(aligned)).toBeLessThan(alone(eager));
    // Distinct frames (a pose step or a mouth change): fewer when re-poses wait for the mouth.
    const distinct = (q: typeof aligned) => q.filter((p, i) => i === 0 || p !== q[i - 1] || changed[i]).length;
    expect(distinct(aligned)).toBeLessThan(distinct(eager));
    // The shown head never lags the wanted one by more than two steps.
    aligned.forEach((p, i) => expect(poseDistance(p, drift[i]!, radius)).toBeLessThan(2));
  });
});

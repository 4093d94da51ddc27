import { describe, expect, it } from 'vitest';
import type { SpeechMark } from '../media/tts';
import { blinkStarts, BLINK_FRAMES, MIN_HOLD, normaliseLoudness, planFrames, planRuns, smoothMouths, spriteOf, type Mouth } from './frame-plan';
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

describe('smoothMouths', () => {
  const runLengths = (m: Mouth[]) => planRuns(m.map((mouth) => ({ mouth, blink: false }))).map((r) => r.frames);

  it.each<{ name: string; input: Mouth[]; want: Mouth[] }>([
    { name: 'ignores a one-frame wobble of one level', input: [3, 3, 3, 4, 3, 3, 3], want: [3, 3, 3, 3, 3, 3, 3] },
    { name: 'follows a change that persists', input: [3, 3, 3, 5, 5, 5, 5], want: [3, 3, 3, 5, 5, 5, 5] },
    { name: 'stretches a one-frame closure to two frames, starting it a frame early', input: [3, 3, 'closed', 3, 3, 3], want: [3, 'closed', 'closed', 3, 3, 3] },
    { name: 'keeps a closure on time: a short shape before it starts early', input: [4, 4, 4, 1, 'closed', 'closed', 3, 3], want: [4, 4, 1, 1, 'closed', 'closed', 3, 3] },
    { name: 'opens the lips right after a closure even mid-hold', input: [4, 4, 'closed', 'closed', 4, 0], want: [4, 4, 'closed', 'closed', 0, 0] },
    { name: 'starts a held shape early rather than delaying the next one', input: [1, 1, 1, 4, 2, 2, 2], want: [1, 1, 4, 4, 2, 2, 2] },
  ])('$name', ({ input, want }) => {
    expect(smoothMouths(input)).toEqual(want);
  });

  it('never makes the mouth trail the desired shapes: on random speech-like input it leads, not lags', () => {
    // A shape's frames may move by one frame to honour MIN_HOLD; count the frames that now show a shape the
    // desired plan had one frame earlier (a lag) or one frame later (a lead).
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const input: Mouth[] = [];
    while (input.length < 2000) {
      const shape: Mouth = rand() < 0.15 ? 'closed' : Math.floor(rand() * 6);
      for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) input.push(shape);
    }
    const out = smoothMouths(input);
    let lags = 0;
    let leads = 0;
    for (let i = 1; i + 1 < out.length; i++) {
      if (out[i] === input[i]) continue;
      if (out[i] === input[i - 1]) lags++;
      else if (out[i] === input[i + 1]) leads++;
    }
    expect(lags + leads).toBeGreaterThan(100);
    expect(lags).toBeLessThan(leads);
  });

  it('never holds a shape for less than two frames on alternating input', () => {
    const flicker: Mouth[] = Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : 4));
    const runs = runLengths(smoothMouths(flicker));
    // Smoothing runs backwards in time, so only the first run may be cut short by the start of the video.
    for (const r of runs.slice(1)) expect(r).toBeGreaterThanOrEqual(MIN_HOLD);
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

import { describe, expect, it } from 'vitest';
import type { RenderStage } from '../render/renderer';
import { overallProgress, ProgressThrottle } from './render-progress';

describe('overallProgress', () => {
  const cases: [RenderStage, number, number][] = [
    ['tts', 0, 0],
    ['tts', 100, 15],
    ['prepare', 50, 20],
    ['encode', 0, 25],
    ['encode', 50, 55],
    ['encode', 100, 85],
    ['thumbnails', 50, 90],
    ['upload', 100, 100],
    ['encode', 250, 85], // clamped
    ['encode', -5, 25],
    ['tts', Number.NaN, 0],
  ];
  it.each(cases)('%s at %d %% is %d overall', (stage, pct, want) => {
    expect(overallProgress(stage, pct)).toBe(want);
  });
});

describe('ProgressThrottle', () => {
  it('writes every stage change, at most one update per interval within a stage, and never goes backwards', async () => {
    let now = 0;
    const writes: [string, number][] = [];
    const t = new ProgressThrottle(async (s, p) => (writes.push([s, p]), true), () => {}, 250, () => now);
    t.report('tts', 0);
    t.report('tts', 50); // same interval: dropped
    now = 300;
    t.report('tts', 100);
    t.report('encode', 10); // stage change: written at once
    now = 400;
    t.report('encode', 20); // within 250 ms of the last write: dropped
    now = 700;
    t.report('prepare', 0); // a late report of an earlier stage does not move the bar back
    await t.flush();
    expect(writes).toEqual([['tts', 0], ['tts', 15], ['encode', 31], ['prepare', 31]]);
  });

  it('calls onRejected when the row no longer accepts progress (canceled)', async () => {
    let rejected = 0;
    const t = new ProgressThrottle(async () => false, () => rejected++, 0);
    t.report('tts', 10);
    await t.flush();
    expect(rejected).toBe(1);
  });
});

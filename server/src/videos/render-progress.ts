import type { RenderStage } from '../render/renderer';

/** Each stage's share of the overall 0–100 progress bar. */
export const STAGE_RANGES: Record<RenderStage, [number, number]> = {
  tts: [0, 15],
  prepare: [15, 25],
  encode: [25, 85],
  thumbnails: [85, 95],
  upload: [95, 100],
};

/** Maps a stage and its own 0–100 percentage to the overall 0–100 (integer, clamped). */
export function overallProgress(stage: RenderStage, percent: number): number {
  const [from, to] = STAGE_RANGES[stage];
  const p = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
  return Math.round(from + ((to - from) * p) / 100);
}

/**
 * Collects progress reports and writes at most one every `intervalMs` (plus every stage change), never
 * going backwards. `write` returns false when the row no longer accepts progress (canceled).
 */
export class ProgressThrottle {
  private last = { stage: '', progress: -1, at: 0 };
  private pending: Promise<void> = Promise.resolve();
  constructor(
    private readonly write: (stage: RenderStage, progress: number) => Promise<boolean>,
    private readonly onRejected: () => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  report(stage: RenderStage, percent: number): void {
    const progress = Math.max(this.last.progress, overallProgress(stage, percent));
    const changedStage = stage !== this.last.stage;
    if (!changedStage && (progress === this.last.progress || this.now() - this.last.at < this.intervalMs)) return;
    this.last = { stage, progress, at: this.now() };
    this.pending = this.pending
      .then(() => this.write(stage, progress))
      .then((ok) => {
        if (!ok) this.onRejected();
      })
      .catch(() => {}); // a lost progress write is harmless; the next one or the final state follows
  }

  /** Waits for writes in flight (before the final state is written). */
  flush(): Promise<void> {
    return this.pending;
  }
}

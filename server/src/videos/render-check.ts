import type { MediaInfo } from '../media/probe';

/** How far the MP4's duration may be from the speech it carries. */
export const DURATION_TOLERANCE_SEC = 0.2;

/**
 * What is wrong with a rendered MP4 compared with what the renderer promised: H.264 video, an audio
 * stream, the expected size, duration within ±0.2 s. Empty when it may be marked completed.
 */
export function renderProblems(info: MediaInfo, expected: { durationSec: number; width: number; height: number }): string[] {
  const problems: string[] = [];
  if (info.videoCodec !== 'h264') problems.push(`video codec is ${info.videoCodec ?? 'missing'}, expected h264`);
  if (!info.audioCodec) problems.push('no audio stream');
  if (info.width !== expected.width || info.height !== expected.height) {
    problems.push(`size is ${info.width}x${info.height}, expected ${expected.width}x${expected.height}`);
  }
  const durations = [info.durationSec, info.videoDurationSec].filter((d): d is number => d !== null);
  for (const d of durations) {
    if (Math.abs(d - expected.durationSec) > DURATION_TOLERANCE_SEC) {
      problems.push(`duration ${d.toFixed(2)} s differs from the speech ${expected.durationSec.toFixed(2)} s by more than ${DURATION_TOLERANCE_SEC} s`);
      break;
    }
  }
  return problems;
}

import { describe, expect, it } from 'vitest';
import type { MediaInfo } from '../media/probe';
import { renderProblems } from './render-check';

const good: MediaInfo = {
  durationSec: 10.02, width: 720, height: 1280, videoCodec: 'h264', audioCodec: 'aac', fps: 25,
  videoDurationSec: 10, audioDurationSec: 10.02, faststart: true, bitrate: 300_000, formatName: 'mov,mp4,m4a,3gp,3g2,mj2', sizeBytes: 375_000,
};
const want = { durationSec: 10, width: 720, height: 1280 };

describe('renderProblems', () => {
  const cases: [string, Partial<MediaInfo>, RegExp | null][] = [
    ['a good portrait MP4', {}, null],
    ['a duration 0.19 s long', { durationSec: 10.19, videoDurationSec: 10.19 }, null],
    ['a duration 0.3 s long', { durationSec: 10.3 }, /duration 10\.30 s differs/],
    ['a video stream 0.5 s short', { videoDurationSec: 9.5 }, /duration 9\.50 s/],
    ['a VP9 video', { videoCodec: 'vp9' }, /codec is vp9, expected h264/],
    ['no video stream', { videoCodec: null, width: null, height: null }, /codec is missing/],
    ['no audio', { audioCodec: null }, /no audio stream/],
    ['the wrong size', { width: 1280, height: 720 }, /size is 1280x720, expected 720x1280/],
  ];
  it.each(cases)('%s', (_name, patch, problem) => {
    const problems = renderProblems({ ...good, ...patch }, want);
    if (problem) expect(problems.join('; ')).toMatch(problem);
    else expect(problems).toEqual([]);
  });
});

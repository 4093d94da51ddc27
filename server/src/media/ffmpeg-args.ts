/** One still image shown for a while (a run of identical frames). */
export interface FrameRun {
  file: string;
  durationSec: number;
}

/** Quotes a path for an ffconcat `file` line. */
function concatQuote(file: string): string {
  return `'${file.replace(/'/g, "'\\''")}'`;
}

/**
 * An ffconcat list for the concat demuxer. The last file is repeated without a duration (the demuxer drops
 * the last entry's duration otherwise), so the video ends on the intended frame.
 */
export function concatList(runs: FrameRun[]): string {
  if (!runs.length) throw new Error('concatList needs at least one run');
  const lines = ['ffconcat version 1.0'];
  for (const r of runs) lines.push(`file ${concatQuote(r.file)}`, `duration ${r.durationSec.toFixed(4)}`);
  lines.push(`file ${concatQuote(runs[runs.length - 1]!.file)}`);
  return `${lines.join('\n')}\n`;
}

/** Frame duration ffmpeg gives the final frame of a passthrough stream (1/25 s). */
export const LAST_FRAME_SEC = 0.04;

/** Splits `durationSec` of one still image into runs of at most `maxRunSec` (a keyframe-friendly, exact-length still video). */
export function stillRuns(file: string, durationSec: number, maxRunSec = 1): FrameRun[] {
  const total = Math.max(LAST_FRAME_SEC, durationSec - LAST_FRAME_SEC);
  const runs: FrameRun[] = [];
  for (let t = 0; t < total - 1e-6; t += maxRunSec) runs.push({ file, durationSec: Math.min(maxRunSec, total - t) });
  return runs;
}

export interface EncodeOptions {
  listPath: string;
  /** null = a video-only clip (campaign segments). */
  audioPath: string | null;
  durationSec: number;
  outPath: string;
  crf?: number;
  preset?: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';
  tune?: 'stillimage' | 'animation' | 'film' | null;
  audioBitrateK?: number;
  /** Extra x264 parameters, e.g. `keyint=250`; B-frames cannot be turned back on here (see encodeRunsArgs). */
  x264Params?: string;
  /** Also write the encoded video packets as a NUT stream to stdout (see mp4Output), e.g. for the quality gate. */
  tapVideo?: boolean;
}

/** Escapes a file name for the tee muxer's output list (av_get_token: backslash, quotes and `|` are special). */
function teeEscape(file: string): string {
  return file.replace(/[\\'|[\]]/g, (c) => `\\${c}`);
}

/**
 * The output of an encode: the MP4 (`+faststart` puts the index first for streaming), or with `tapVideo` the
 * tee muxer writing that same MP4 plus the same video packets as NUT to stdout — a decoder reading stdout sees
 * exactly the frames the MP4 holds, while the encode is still running.
 */
export function mp4Output(outPath: string, tapVideo = false): string[] {
  if (!tapVideo) return ['-movflags', '+faststart', outPath];
  return ['-f', 'tee', `[f=mp4:movflags=+faststart]${teeEscape(outPath)}|[f=nut:select=v]pipe:1`];
}

/**
 * The H.264 encoder settings every talking-photo clip uses. Identical settings (profile, level, no B-frames,
 * closed GOP) are what lets clips be joined by stream copy.
 */
export function x264Args(o: { preset?: EncodeOptions['preset']; tune?: EncodeOptions['tune']; crf?: number; x264Params?: string }): string[] {
  const args = ['-c:v', 'libx264', '-preset', o.preset ?? 'veryfast'];
  if (o.tune) args.push('-tune', o.tune);
  args.push('-crf', String(o.crf ?? 23), '-bf', '0', '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-level:v', '4.0');
  args.push('-x264-params', ['open_gop=0', o.x264Params].filter(Boolean).join(':'));
  return args;
}

/**
 * H.264 + AAC MP4 from an ffconcat list of stills (variable frame rate: only frames that change are encoded)
 * and a speech track; `-t` pins the length to the audio, `+faststart` puts the index first for streaming.
 *
 * No B-frames (`-bf 0`): with variable frame rate, x264's reorder delay is the length of the first frames
 * (a whole second for a still), and the MP4 muxer turns it into a wrong track length: a recent system ffmpeg
 * was measured to shorten the track by one frame per B-frame, while the 2018 static build that
 * @ffmpeg-installer ships counts the track from the negative first DTS and lengthens it by the delay (a
 * 4.92 s still came out 5.04 s, a 5.09 s one 6.04 s). With DTS = PTS every version muxes the real length.
 */
export function encodeRunsArgs(o: EncodeOptions): string[] {
  if (o.x264Params && /(^|:)bframes=/.test(o.x264Params)) {
    throw new Error(`encodeRunsArgs: x264Params "${o.x264Params}" sets B-frames, which break the MP4's duration`);
  }
  const args = ['-f', 'concat', '-safe', '0', '-i', o.listPath];
  if (o.audioPath) args.push('-i', o.audioPath);
  args.push('-map', '0:v:0');
  if (o.audioPath) args.push('-map', '1:a:0');
  args.push('-t', o.durationSec.toFixed(3), '-vsync', 'passthrough');
  args.push(...x264Args({ preset: o.preset, tune: o.tune, crf: o.crf, x264Params: o.x264Params }));
  if (o.audioPath) args.push('-c:a', 'aac', '-aac_coder', 'fast', '-b:a', `${o.audioBitrateK ?? 64}k`, '-ac', '1');
  else args.push('-an');
  args.push(...mp4Output(o.outPath, o.tapVideo));
  return args;
}

export interface PipedEncodeOptions {
  /** Speech to mux in, or null for a video-only clip (campaign segments are joined first, audio added once). */
  audioPath: string | null;
  durationSec: number;
  outPath: string;
  width: number;
  height: number;
  fps: number;
  crf?: number;
  /** Extra x264 parameters; B-frames stay off (see encodeRunsArgs). */
  x264Params?: string;
  /** Also write the video packets as NUT to stdout (see mp4Output). */
  tapVideo?: boolean;
  /**
   * A filter script (framePtsScript) giving each frame on stdin its timestamp: the producer then sends every
   * distinct frame once. Without it, every frame is sent at 1/fps and repeats are dropped by mpdecimate.
   */
  ptsScriptPath?: string;
}

/**
 * A filter script that gives the n-th frame of a stream the timestamp `pts[n]` (in frames of the stream's
 * 1/fps time base): a balanced tree of `if(lt(N,k),…,…)` (log₂ n comparisons per frame, any length — a file,
 * so no command-line limit). `pts` must be increasing.
 */
export function framePtsScript(pts: number[]): string {
  if (!pts.length) throw new Error('framePtsScript needs at least one frame');
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) return String(pts[lo]);
    const mid = (lo + hi) >> 1;
    return `if(lt(N,${mid}),${tree(lo, mid)},${tree(mid, hi)})`;
  };
  return `setpts='${tree(0, pts.length)}'\n`;
}

/**
 * H.264 (+ AAC) MP4 from a Y4M stream on stdin, one frame per 1/fps. `mpdecimate` with zero thresholds drops
 * frames that are identical to the one before (the encoder only sees frames that change; the kept ones keep
 * their timestamps, so the stream is variable frame rate), so a still head costs nothing to encode while the
 * producer can warp and stream frames at the same time as x264 encodes them. No B-frames and a closed GOP:
 * every clip starts on an IDR frame, so clips encoded with the same settings can be joined by stream copy.
 */
export function encodePipedArgs(o: PipedEncodeOptions): string[] {
  if (o.x264Params && /(^|:)bframes=/.test(o.x264Params)) throw new Error(`encodePipedArgs: x264Params "${o.x264Params}" sets B-frames`);
  const args = ['-f', 'yuv4mpegpipe', '-i', 'pipe:0'];
  if (o.audioPath) args.push('-i', o.audioPath);
  args.push('-map', '0:v:0');
  if (o.audioPath) args.push('-map', '1:a:0');
  args.push('-t', o.durationSec.toFixed(3));
  args.push(...(o.ptsScriptPath ? ['-filter_script:v', o.ptsScriptPath] : ['-vf', 'mpdecimate=hi=1:lo=1:frac=0:max=0']), '-vsync', 'vfr');
  args.push(...x264Args({ crf: o.crf, x264Params: o.x264Params }));
  if (o.audioPath) args.push('-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '64k', '-ac', '1');
  else args.push('-an');
  args.push(...mp4Output(o.outPath, o.tapVideo));
  return args;
}

/**
 * Joins video-only clips (same size and encoder settings, each starting on an IDR frame) by stream copy —
 * the shared part is never re-encoded — and muxes one audio track (the clips' speech, concatenated
 * sample-exact beforehand) encoded once. `+faststart` for streaming.
 */
export function joinClipsArgs(o: { listPath: string; audioPath: string; durationSec: number; outPath: string }): string[] {
  return [
    '-f', 'concat', '-safe', '0', '-i', o.listPath, '-i', o.audioPath,
    '-map', '0:v:0', '-map', '1:a:0', '-t', o.durationSec.toFixed(3),
    '-c:v', 'copy', '-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '64k', '-ac', '1',
    '-movflags', '+faststart', o.outPath,
  ];
}

export interface GifOptions {
  /** An ffconcat list (`kind: 'concat'`) or a video file. */
  input: { kind: 'concat' | 'video'; path: string };
  /** A transparent PNG of exactly width x height drawn over every frame (play button, caption). */
  overlayPath: string;
  width: number;
  height: number;
  seconds?: number;
  fps?: number;
  outPath: string;
}

/** Animated GIF: first seconds, scaled, overlay on every frame, one palette (diff stats) with bayer dithering. */
export function gifArgs(o: GifOptions): string[] {
  const input = o.input.kind === 'concat' ? ['-f', 'concat', '-safe', '0', '-i', o.input.path] : ['-i', o.input.path];
  const fps = o.fps ?? 10;
  const graph =
    `[0:v]fps=${fps},scale=${o.width}:${o.height}:flags=area,setsar=1[v];` +
    `[v][1:v]overlay=0:0:format=auto,split[a][b];` +
    `[a]palettegen=max_colors=128:stats_mode=diff[p];` +
    `[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle`;
  return [
    '-t', String(o.seconds ?? 3), ...input, '-i', o.overlayPath,
    '-filter_complex', graph, '-an', '-loop', '0', '-f', 'gif', o.outPath,
  ];
}

/** Decodes any audio (an uploaded recording) to mono 16-bit WAV for analysis and muxing. */
export function decodeToWavArgs(input: string, outPath: string, sampleRate = 22050): string[] {
  return ['-i', input, '-vn', '-ac', '1', '-ar', String(sampleRate), '-c:a', 'pcm_s16le', '-f', 'wav', outPath];
}

/** One JPEG frame at `atSec`, scaled to `width` (height keeps the aspect). */
export function frameGrabArgs(input: string, atSec: number, width: number, outPath: string): string[] {
  return ['-ss', atSec.toFixed(3), '-i', input, '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', '3', outPath];
}

/**
 * The quality gate's decode: the video (a file, or `pipe:0` carrying NUT from an encode's tap) as raw 8-bit
 * gray frames of width x height at a constant `fps`. Scaled before the frame-rate conversion (a variable-rate
 * clip repeats frames; each decoded frame is scaled once, the output is the same), one decoder thread (the
 * fewest CPU-seconds; the encode runs beside it), no audio.
 */
export function gateFramesArgs(input: string, width: number, height: number, fps = 25, inputFormat?: 'nut'): string[] {
  return [
    '-threads', '1', ...(inputFormat ? ['-f', inputFormat] : []), '-i', input, '-map', '0:v:0', '-an',
    '-vf', `scale=${width}:${height}:flags=fast_bilinear,format=gray,fps=${fps}`, '-f', 'rawvideo', 'pipe:1',
  ];
}

/** Decodes the video to raw 8-bit gray frames (tests and quality checks measure motion with it). */
export function grayFramesArgs(input: string, width: number, height: number, fps = 25, scaler?: 'fast_bilinear'): string[] {
  return ['-i', input, '-vf', `fps=${fps},scale=${width}:${height}${scaler ? `:flags=${scaler}` : ''},format=gray`, '-f', 'rawvideo', '-'];
}

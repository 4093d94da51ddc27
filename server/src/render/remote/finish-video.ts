import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors';
import { requireFfmpeg, requireFfprobe, type MediaBinaries } from '../../media/binaries';
import { frameGrabArgs } from '../../media/ffmpeg-args';
import { runFfmpeg } from '../../media/ffmpeg.runner';
import { probeMedia } from '../../media/probe';
import { thumbnailTexts } from '../captions';
import type { RenderOutput, RenderRequest } from '../renderer';
import { videoOptions } from '../speech';
import { makeGif, makePoster } from '../thumbnails';

/**
 * Turns an MP4 made elsewhere (HeyGen, a remote GPU worker) into our outputs: re-muxed with moov first
 * (+faststart, no re-encode), checked with ffprobe, plus the poster and GIF.
 */
export async function finishDownloadedVideo(req: RenderRequest, binaries: MediaBinaries, raw: string, who: string): Promise<RenderOutput> {
  const ffmpeg = requireFfmpeg(binaries);
  const videoPath = path.join(req.workDir, 'video.mp4');
  await runFfmpeg(ffmpeg, ['-y', '-i', raw, '-c', 'copy', '-movflags', '+faststart', videoPath], { signal: req.signal, timeoutMs: 120_000 });
  const info = await probeMedia(videoPath, requireFfprobe(binaries), req.signal);
  const width = info.width ?? 0;
  const height = info.height ?? 0;
  if (!width || !height || !(info.durationSec > 0)) throw new AppError(422, 'render_failed', `${who} returned a file without video (${width}x${height}, ${info.durationSec} s)`);
  req.onProgress('thumbnails', 0);
  const texts = thumbnailTexts(req.video.language, videoOptions(req).recipient_name, req.branding, videoOptions(req).caption);
  const framePath = path.join(req.workDir, 'remote-frame.jpg');
  await runFfmpeg(ffmpeg, frameGrabArgs(videoPath, Math.min(0.5, info.durationSec / 2), width, framePath), { signal: req.signal, timeoutMs: 60_000 });
  const out: RenderOutput = { videoPath, posterPath: path.join(req.workDir, 'poster.jpg'), gifPath: path.join(req.workDir, 'thumb.gif'), durationSec: info.durationSec, width, height };
  await Promise.all([
    makePoster(await fs.readFile(framePath), width, height, texts, out.posterPath),
    makeGif({ ffmpeg, input: { kind: 'video', path: videoPath }, videoWidth: width, videoHeight: height, texts, overlayPath: path.join(req.workDir, 'gif-overlay.png'), outPath: out.gifPath, signal: req.signal }),
  ]);
  req.onProgress('thumbnails', 100);
  return out;
}

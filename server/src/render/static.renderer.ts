import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../errors';
import { requireFfmpeg, type MediaBinaries } from '../media/binaries';
import { concatList, encodeRunsArgs, stillRuns } from '../media/ffmpeg-args';
import { runFfmpeg } from '../media/ffmpeg.runner';
import { rgbToY4m } from '../media/y4m';
import type { Storage } from '../storage/storage';
import { thumbnailTexts, type ThumbnailTexts } from './captions';
import { FORMATS, type Renderer, type RenderOutput, type RenderRequest, type RenderStage, type VideoFormat } from './renderer';
import { videoOptions, type SpeechSource } from './speech';
import { makeGif, makePoster } from './thumbnails';

export interface StillJob {
  ffmpeg: string;
  /** The avatar photo in any format sharp reads; cropped to the output size around the most salient area. */
  photo: Buffer;
  speech: { wavPath: string; durationSec: number };
  width: number;
  height: number;
  texts: ThumbnailTexts;
  workDir: string;
  signal?: AbortSignal;
  onProgress?: (stage: RenderStage, percent: number) => void;
  /** Stage timings in ms are added here (benchmarks). */
  timings?: Record<string, number>;
}

/** Crops and scales a photo to exactly width x height (EXIF orientation applied); RGB24 pixels. */
export async function fitPhoto(photo: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(photo).rotate().resize(width, height, { fit: 'cover', position: 'attention' }).removeAlpha().raw().toBuffer();
}

/**
 * Photo + speech → MP4 (H.264/AAC, +faststart, one frame per second as an exact-length still), poster and
 * GIF. The encode, poster and GIF run in parallel; the GIF reads the same still list, not the MP4.
 */
export async function renderStill(job: StillJob): Promise<RenderOutput> {
  const { width, height, workDir } = job;
  const rgb = await fitPhoto(job.photo, width, height);
  const stillPath = path.join(workDir, 'still.y4m');
  await fs.writeFile(stillPath, rgbToY4m(rgb, width, height));
  const listPath = path.join(workDir, 'still.ffconcat');
  await fs.writeFile(listPath, concatList(stillRuns(stillPath, job.speech.durationSec)));
  const out: RenderOutput = {
    videoPath: path.join(workDir, 'video.mp4'),
    posterPath: path.join(workDir, 'poster.jpg'),
    gifPath: path.join(workDir, 'thumb.gif'),
    durationSec: job.speech.durationSec,
    width,
    height,
  };
  job.onProgress?.('encode', 0);
  const t = job.timings ?? {};
  const timed = <T>(name: string, pr: Promise<T>) => {
    const s = performance.now();
    return pr.then((v) => ((t[name] = performance.now() - s), v));
  };
  const encode = timed('encode', runFfmpeg(
    job.ffmpeg,
    encodeRunsArgs({ listPath, audioPath: job.speech.wavPath, durationSec: job.speech.durationSec, outPath: out.videoPath, tune: 'stillimage' }),
    { signal: job.signal, timeoutMs: 300_000 },
  )).then(() => job.onProgress?.('encode', 100));
  const posterFrame = sharp(rgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
  const poster = timed('poster', posterFrame.then((frame) => makePoster(frame, width, height, job.texts, out.posterPath)));
  const gif = timed('gif', makeGif({
    ffmpeg: job.ffmpeg,
    input: { kind: 'concat', path: listPath },
    videoWidth: width,
    videoHeight: height,
    texts: job.texts,
    overlayPath: path.join(workDir, 'gif-overlay.png'),
    outPath: out.gifPath,
    // The picture does not move: 2 fps keeps it a 3 s GIF at a fifth of the cost.
    fps: 2,
    signal: job.signal,
  }));
  await Promise.all([encode, poster, gif]);
  job.onProgress?.('thumbnails', 100);
  return out;
}

export interface StaticRendererDeps {
  binaries: MediaBinaries;
  storage: Storage;
  speech: SpeechSource;
}

/** Renderer `static`: the avatar photo as a still with the speech over it (the cheap fallback). */
export class StaticRenderer implements Renderer {
  readonly name = 'static' as const;
  constructor(private readonly deps: StaticRendererDeps) {}

  async render(req: RenderRequest): Promise<RenderOutput> {
    const { avatar, video } = req;
    if (!avatar.photo_key) throw new AppError(422, 'no_photo', `Avatar ${avatar.id}: upload a photo before rendering`);
    const size = FORMATS[(video.format in FORMATS ? video.format : 'portrait') as VideoFormat];
    req.onProgress('tts', 0);
    const [photo, speech] = await Promise.all([this.deps.storage.getBuffer(avatar.photo_key), this.deps.speech(req)]);
    req.onProgress('tts', 100);
    return renderStill({
      ffmpeg: requireFfmpeg(this.deps.binaries),
      photo,
      speech,
      ...size,
      texts: thumbnailTexts(video.language, videoOptions(req).recipient_name, req.branding, videoOptions(req).caption),
      workDir: req.workDir,
      signal: req.signal,
      onProgress: req.onProgress,
    });
  }
}

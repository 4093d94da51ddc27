import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../errors';
import type { MediaBinaries } from '../../media/binaries';
import type { Storage } from '../../storage/storage';
import { FORMATS, type Renderer, type RenderOutput, type RenderRequest, type VideoFormat } from '../renderer';
import type { SpeechSource } from '../speech';
import { finishDownloadedVideo } from './finish-video';
import type { RemoteRendererClient } from './remote.client';

export interface RemotePoll {
  firstMs: number;
  maxMs: number;
  timeoutMs: number;
}
export const DEFAULT_REMOTE_POLL: RemotePoll = { firstMs: 1000, maxMs: 5000, timeoutMs: 15 * 60_000 };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/**
 * Renderer `remote`: our speech + the avatar photo go to a self-hosted GPU lip-sync worker (contract in
 * docs/remote-renderer.md); its MP4 comes back and gets our faststart re-mux, poster and GIF. The job id we
 * send is the video id, so a retried render picks up the same worker job.
 */
export class RemoteRenderer implements Renderer {
  readonly name = 'remote' as const;
  constructor(private readonly d: { client: RemoteRendererClient; storage: Storage; speech: SpeechSource; binaries: MediaBinaries; poll?: RemotePoll }) {}

  async render(req: RenderRequest): Promise<RenderOutput> {
    const { avatar, video } = req;
    if (!avatar.photo_key) throw new AppError(422, 'no_photo', `Avatar ${avatar.id}: upload a photo before rendering`);
    const size = FORMATS[(video.format in FORMATS ? video.format : 'portrait') as VideoFormat];
    req.onProgress('tts', 0);
    const [stored, speech] = await Promise.all([this.d.storage.getBuffer(avatar.photo_key), this.d.speech(req)]);
    req.onProgress('tts', 100);
    const png = avatar.photo_mime === 'image/png';
    const photo = png || avatar.photo_mime === 'image/jpeg' ? stored : await sharp(stored).rotate().jpeg({ quality: 92 }).toBuffer();
    const job = await this.d.client.createJob(
      { data: photo, mime: png ? 'image/png' : 'image/jpeg' },
      await fs.readFile(speech.wavPath),
      { job_id: video.id, width: size.width, height: size.height, fps: 25 },
      req.signal,
    );
    const abort = () => void this.d.client.deleteJob(job.id);
    req.signal.addEventListener('abort', abort, { once: true });
    try {
      await this.wait(req, job.id);
      const raw = path.join(req.workDir, 'remote.mp4');
      await this.d.client.downloadResult(job.id, raw, req.signal);
      await this.d.client.deleteJob(job.id);
      return await finishDownloadedVideo(req, this.d.binaries, raw, 'The remote renderer');
    } finally {
      req.signal.removeEventListener('abort', abort);
    }
  }

  private async wait(req: RenderRequest, id: string): Promise<void> {
    const p = this.d.poll ?? DEFAULT_REMOTE_POLL;
    const started = Date.now();
    let delay = p.firstMs;
    while (Date.now() - started < p.timeoutMs) {
      await sleep(delay, req.signal);
      delay = Math.min(p.maxMs, delay * 1.5);
      const s = await this.d.client.job(id, req.signal);
      if (s.status === 'succeeded') return;
      if (s.status === 'failed') {
        throw new AppError(422, 'render_failed', `The remote renderer failed video ${req.video.id}: ${s.error?.message ?? s.error?.code ?? 'no reason given'}`);
      }
      req.onProgress('encode', Math.max(0, Math.min(95, Math.round(s.progress ?? 0))));
    }
    throw new AppError(503, 'provider_unavailable', `The remote renderer did not finish video ${req.video.id} in ${Math.round(p.timeoutMs / 60_000)} min; will retry`);
  }
}

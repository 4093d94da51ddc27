import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { requireFfmpeg, type MediaBinaries } from '../../media/binaries';
import { runFfmpeg } from '../../media/ffmpeg.runner';
import type { Storage } from '../../storage/storage';
import { FORMATS, type Renderer, type RenderOutput, type RenderRequest, type VideoFormat } from '../renderer';
import type { SpeechSource } from '../speech';
import { finishDownloadedVideo } from '../remote/finish-video';
import type { HeyGenClient } from './heygen.client';
import { DEFAULT_POLL, pollDelays, type PollPolicy } from './heygen-poll';
import type { ProviderIdsRepository } from './provider-ids.repository';

export interface HeyGenRendererDeps {
  client: HeyGenClient;
  storage: Storage;
  speech: SpeechSource;
  binaries: MediaBinaries;
  providerIds: ProviderIdsRepository;
  log: Logger;
  poll?: PollPolicy;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/**
 * Renderer `heygen`: uploads the avatar photo once as a talking photo (id kept in provider_ids), generates
 * with HeyGen's voice (provider_ids.heygen_voice_id) or our own speech as audio, polls with backoff, and
 * downloads the result at once (their URLs expire). The HeyGen video id is kept in storage until the
 * download succeeds, so a retried job resumes instead of paying for a second render.
 */
export class HeyGenRenderer implements Renderer {
  readonly name = 'heygen' as const;
  constructor(private readonly d: HeyGenRendererDeps) {}

  private stateKey(req: RenderRequest) {
    return `${req.video.tenant_id}/heygen/${req.video.id}.json`;
  }

  async render(req: RenderRequest): Promise<RenderOutput> {
    const { avatar, video } = req;
    if (!avatar.photo_key) throw new AppError(422, 'no_photo', `Avatar ${avatar.id}: upload a photo before rendering`);
    const size = FORMATS[(video.format in FORMATS ? video.format : 'portrait') as VideoFormat];
    const stateKey = this.stateKey(req);
    let heygenId = await this.d.storage.getBuffer(stateKey).then(
      (b) => (JSON.parse(b.toString()) as { heygen_video_id: string }).heygen_video_id,
      () => null,
    );
    if (heygenId) this.d.log.info({ videoId: video.id, heygenId }, 'resuming HeyGen render');
    else {
      heygenId = await this.start(req, size);
      await this.d.storage.put(stateKey, Buffer.from(JSON.stringify({ heygen_video_id: heygenId })), 'application/json');
    }
    const out = await this.fetchResult(req, heygenId);
    await this.d.storage.delete(stateKey).catch(() => {});
    return out;
  }

  private async talkingPhoto(req: RenderRequest): Promise<string> {
    const { avatar } = req;
    const ids = avatar.provider_ids ?? {};
    if (ids.heygen_talking_photo_id && ids.heygen_photo_key === avatar.photo_key) return ids.heygen_talking_photo_id;
    let photo = await this.d.storage.getBuffer(avatar.photo_key!);
    let mime: 'image/jpeg' | 'image/png' = avatar.photo_mime === 'image/png' ? 'image/png' : 'image/jpeg';
    if (avatar.photo_mime !== 'image/png' && avatar.photo_mime !== 'image/jpeg') {
      photo = await sharp(photo).rotate().jpeg({ quality: 92 }).toBuffer();
      mime = 'image/jpeg';
    }
    const id = await this.d.client.uploadTalkingPhoto(photo, mime, req.signal);
    await this.d.providerIds.merge(avatar.tenant_id, avatar.id, { heygen_talking_photo_id: id, heygen_photo_key: avatar.photo_key! });
    return id;
  }

  private async voice(req: RenderRequest): Promise<object> {
    const voiceId = req.avatar.provider_ids?.heygen_voice_id;
    if (voiceId) return { type: 'text', voice_id: voiceId, input_text: req.video.script };
    req.onProgress('tts', 0);
    const speech = await this.d.speech(req);
    const mp3 = path.join(req.workDir, 'heygen-voice.mp3');
    await runFfmpeg(requireFfmpeg(this.d.binaries), ['-y', '-i', speech.wavPath, '-c:a', 'libmp3lame', '-b:a', '128k', mp3], { signal: req.signal, timeoutMs: 120_000 });
    req.onProgress('tts', 100);
    const assetId = await this.d.client.uploadAsset(await fs.readFile(mp3), 'audio/mpeg', req.signal);
    return { type: 'audio', audio_asset_id: assetId };
  }

  private async start(req: RenderRequest, size: { width: number; height: number }): Promise<string> {
    // One after the other: when the photo upload fails, no speech is made or uploaded for nothing.
    const talkingPhotoId = await this.talkingPhoto(req);
    const voice = await this.voice(req);
    return this.d.client.generate(
      {
        title: req.video.title ?? `Video ${req.video.id}`,
        caption: false,
        callback_id: req.video.id,
        dimension: { width: size.width, height: size.height },
        video_inputs: [
          {
            character: { type: 'talking_photo', talking_photo_id: talkingPhotoId, talking_style: 'stable' },
            voice,
            background: { type: 'color', value: '#FAFAFA' },
          },
        ],
      },
      req.signal,
    );
  }

  /** Polls until completed, downloads (re-asking for a fresh URL when the signed one expired), then thumbnails. */
  private async fetchResult(req: RenderRequest, heygenId: string): Promise<RenderOutput> {
    const raw = path.join(req.workDir, 'heygen.mp4');
    const delays = pollDelays(this.d.poll ?? DEFAULT_POLL);
    let expired = 0;
    for (let i = 0; i < delays.length; i++) {
      await sleep(delays[i]!, req.signal);
      const s = await this.d.client.status(heygenId, req.signal);
      if (s.status === 'failed') {
        await this.d.storage.delete(this.stateKey(req)).catch(() => {});
        throw new AppError(422, 'render_failed', `HeyGen could not render video ${req.video.id}: ${s.error ?? 'no reason given'}`);
      }
      req.onProgress('encode', Math.min(95, Math.round((100 * (i + 1)) / Math.min(delays.length, 20))));
      if (s.status !== 'completed' || !s.videoUrl) continue;
      const code = await this.d.client.download(s.videoUrl, raw, req.signal);
      if (code >= 200 && code < 300) return finishDownloadedVideo(req, this.d.binaries, raw, 'HeyGen');
      if ([401, 403, 404, 410].includes(code) && ++expired <= 3) {
        delays.splice(i + 1, 0, 0); // the signed URL expired: ask again at once for a fresh one
        continue;
      }
      throw new AppError(503, 'provider_unavailable', `HeyGen result download failed with HTTP ${code}`);
    }
    throw new AppError(503, 'provider_unavailable', `HeyGen did not finish video ${req.video.id} in time; the job will resume polling`);
  }
}

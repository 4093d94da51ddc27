import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Container } from '../container';
import { AppError } from '../errors';
import { willRetry, type JobHandler } from '../jobs/job-handler';
import { requireFfprobe, resolveBinaries } from '../media/binaries';
import { probeMp4 } from '../media/mp4-probe';
import { probeMedia } from '../media/probe';
import { FORMATS, type RenderOutput, type RenderStage, type VideoFormat } from '../render/renderer';
import { newKey } from '../storage/storage';
import { renderProblems } from './render-check';
import { ProgressThrottle } from './render-progress';
import { rendererFor } from './renderer-registry';
import type { VideoRow } from './videos.repository';

/** Polls the row this often so a cancel or delete stops a running render. */
export const CANCEL_POLL_MS = 500;

/** A failure that retrying cannot fix (bad input, a renderer producing a wrong file). */
class PermanentRenderError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const permanent = (err: unknown) =>
  err instanceof PermanentRenderError || (err instanceof AppError && err.status >= 400 && err.status < 500 && err.status !== 429);

/** Uploads the three outputs under fresh keys; returns the keys and sizes (keys also pushed to `uploaded`). */
async function upload(c: Container, tenantId: string, out: RenderOutput, uploaded: string[]) {
  const files = [
    { path: out.videoPath, ext: 'mp4', type: 'video/mp4' },
    { path: out.posterPath, ext: 'jpg', type: 'image/jpeg' },
    { path: out.gifPath, ext: 'gif', type: 'image/gif' },
  ];
  const result: { key: string; bytes: number }[] = [];
  for (const f of files) {
    const key = newKey(tenantId, 'videos', f.ext);
    uploaded.push(key);
    await c.storage.putFile(key, f.path, f.type);
    result.push({ key, bytes: (await fs.stat(f.path)).size });
  }
  return result as [typeof result[0], typeof result[0], typeof result[0]];
}

/**
 * The 'render-video' job: renders the script with the video's renderer, reports throttled progress, checks
 * the MP4 (its moov box, else ffprobe), uploads video/poster/GIF and marks the row completed. Every row change is guarded
 * by status and attempt number, so a canceled, deleted or superseded attempt never overwrites the truth.
 */
export const renderVideoJob: JobHandler<'render-video'> = async ({ videoId, tenantId }, ctx) => {
  const c = ctx.container;
  const repo = c.videosRepo;
  const current = await repo.get(tenantId, videoId);
  if (!current || (current.status !== 'queued' && current.status !== 'rendering')) return 'skipped';
  const avatar = await repo.findAvatar(tenantId, current.avatar_id);
  const started = avatar ? await repo.startAttempt(tenantId, videoId) : undefined;
  if (!avatar || !started) {
    if (!avatar) await markFailed(c, current, current.attempts, 'render_failed', `Avatar ${current.avatar_id} no longer exists`, ['queued', 'rendering']);
    return 'skipped';
  }
  const attempt = started.attempts;
  const log = ctx.log.child({ videoId, attempt, renderer: started.renderer });
  const controller = new AbortController();
  const stop = (reason: Error) => !controller.signal.aborted && controller.abort(reason);
  ctx.signal.addEventListener('abort', () => stop(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted')), { once: true });
  let superseded = false;
  const supersede = () => {
    superseded = true;
    stop(new Error('video canceled or deleted'));
  };
  const watch = setInterval(() => {
    repo.pollState(tenantId, videoId).then(
      (s) => (!s || s.deleted_at || s.status !== 'rendering' || s.attempts !== attempt) && supersede(),
      () => {},
    );
  }, CANCEL_POLL_MS);
  const progress = new ProgressThrottle(
    async (stage, value) => !!(await repo.transition(tenantId, videoId, ['rendering'], { stage, progress: value }, attempt)),
    supersede,
  );
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), `mvs-render-${videoId.slice(0, 8)}-`));
  const uploaded: string[] = [];
  try {
    const renderer = rendererFor(c, started.renderer);
    const out = await renderer.render({
      video: started,
      avatar,
      workDir,
      signal: controller.signal,
      onProgress: (stage: RenderStage, pct: number) => progress.report(stage, pct),
      // The workspace's accent colour and logo on the poster and GIF; a branding read that fails leaves them neutral.
      branding: await c.branding.forRender(tenantId).catch(() => null),
    });
    controller.signal.throwIfAborted();
    const expected = FORMATS[(started.format in FORMATS ? started.format : 'portrait') as VideoFormat];
    // The MP4's own moov box (no ffprobe process per video); ffprobe for anything it cannot read.
    const info = (await probeMp4(out.videoPath)) ?? (await probeMedia(out.videoPath, requireFfprobe(resolveBinaries(c.config)), controller.signal));
    const problems = renderProblems(info, { durationSec: out.durationSec, ...expected });
    if (problems.length) throw new PermanentRenderError('render_failed', `The rendered video failed its checks: ${problems.join('; ')}`);
    progress.report('upload', 0);
    const [video, poster, gif] = await upload(c, tenantId, out, uploaded);
    controller.signal.throwIfAborted();
    await progress.flush();
    const done = await repo.transition(
      tenantId,
      videoId,
      ['rendering'],
      {
        status: 'completed', progress: 100, stage: null, error: null, error_code: null,
        video_key: video.key, poster_key: poster.key, gif_key: gif.key,
        video_bytes: video.bytes, poster_bytes: poster.bytes, gif_bytes: gif.bytes,
        duration_sec: info.durationSec, width: info.width, height: info.height, completed_at: new Date(),
      },
      attempt,
    );
    if (!done) {
      superseded = true;
      throw new Error('video canceled or deleted before it completed');
    }
    uploaded.length = 0; // the row owns them now
    log.info({ durationSec: info.durationSec, bytes: video.bytes }, 'video completed');
    await c.videosService.videoFinished(done);
    return 'success';
  } catch (err) {
    await progress.flush();
    for (const key of uploaded) await c.storage.delete(key).catch(() => {});
    if (superseded) {
      log.info('render stopped: the video was canceled, deleted or taken over');
      return 'skipped';
    }
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof PermanentRenderError || err instanceof AppError ? err.code : 'render_failed';
    if (permanent(err) || !willRetry(ctx)) {
      await markFailed(c, started, attempt, code, message, ['rendering']);
      if (permanent(err)) return 'skipped'; // nothing to retry; the row says why
      throw err;
    }
    await repo.transition(tenantId, videoId, ['rendering'], { status: 'queued', stage: null, progress: 0, error: `Attempt ${attempt} failed, retrying: ${message}`, error_code: code }, attempt);
    throw err;
  } finally {
    clearInterval(watch);
    await fs.rm(workDir, { recursive: true, force: true });
  }
};

async function markFailed(c: Container, v: VideoRow, attempt: number, code: string, message: string, from: VideoRow['status'][]) {
  const row = await c.videosRepo.transition(v.tenant_id, v.id, from, { status: 'failed', stage: null, error: message, error_code: code }, attempt);
  if (row) await c.videosService.videoFinished(row);
}

/** Sweep run by every worker: fixes rows whose worker died (see VideoJobsRepository.reconcileOrphans). */
export async function reconcileVideoRows(c: Container): Promise<void> {
  for (const r of await c.videoJobs.reconcileOrphans()) {
    c.logger.warn({ videoId: r.id, status: r.status }, 'video row corrected after its worker stopped');
    if (r.status === 'failed') {
      const row = await c.videosRepo.get(r.tenant_id, r.id);
      if (row) await c.videosService.videoFinished(row);
    }
  }
}

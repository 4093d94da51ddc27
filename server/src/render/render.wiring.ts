import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { DB } from '../db/types';
import type { Logger } from '../logger';
import { resolveBinaries } from '../media/binaries';
import type { SpeechService } from '../providers/speech.service';
import type { Storage } from '../storage/storage';
import { createHeyGenRenderer } from './heygen/heygen.wiring';
import { PhotoRenderer } from './photo.renderer';
import { AvatarPrepareService } from './prepare/prepare.service';
import { PrepareRepository } from './prepare/prepare.repository';
import { createRemoteRenderer } from './remote/remote.wiring';
import type { Renderer } from './renderer';
import { createRenderers, type RendererName } from './renderers';
import type { SpeechSource } from './speech';

export interface Rendering {
  /** Every renderer by name (container.renderers; the render-video job picks one per video). */
  renderers: Record<RendererName, Renderer>;
}

/** Adapts the providers' SpeechService (recording or TTS engine) to what renderers call. */
export function speechFrom(service: SpeechService): SpeechSource {
  return (req) =>
    service.resolveSpeech({
      tenantId: req.video.tenant_id,
      video: { script: req.video.script, language: req.video.language, options: (req.video.options ?? {}) as never },
      avatar: { id: req.avatar.id, voice_settings: req.avatar.voice_settings ?? {}, voice_key: req.avatar.voice_key, provider_ids: req.avatar.provider_ids ?? {} },
      workDir: req.workDir,
      signal: req.signal,
    });
}

/** Wires every renderer: static always, photo (local prepare), heygen and remote when configured. */
export function createRendering(o: {
  config: Config;
  db: Kysely<DB>;
  storage: Storage;
  speech: SpeechService;
  logger: Logger;
  extra?: Partial<Record<RendererName, Renderer>>;
}): Rendering {
  const binaries = resolveBinaries(o.config);
  const speech = speechFrom(o.speech);
  const prepare = new AvatarPrepareService(new PrepareRepository(o.db), o.storage, o.logger.child({ module: 'prepare' }));
  const photo = new PhotoRenderer({
    binaries,
    speech,
    loadPrepared: (avatar, format) => prepare.load(avatar, format),
    cacheDir: path.join(o.config.DATA_DIR, 'cache', 'sprites'),
    frozenMouth: o.config.RENDER_TEST_FROZEN_MOUTH,
    storage: o.storage,
    spokenText: async (tenantId, text, language, pronunciations) => (await o.speech.spokenText(tenantId, text, language, pronunciations)).text,
    log: o.logger.child({ module: 'photo-renderer' }),
  });
  const heygen = createHeyGenRenderer({ config: o.config, db: o.db, storage: o.storage, speech, binaries, logger: o.logger });
  const remote = createRemoteRenderer({ config: o.config, storage: o.storage, speech, binaries, token: o.config.REMOTE_RENDERER_TOKEN });
  const configured: Partial<Record<RendererName, Renderer>> = { photo, ...(heygen ? { heygen } : {}), ...(remote ? { remote } : {}) };
  return { renderers: createRenderers({ binaries, storage: o.storage, speech, extra: { ...configured, ...o.extra } }) };
}

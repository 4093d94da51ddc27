import type { Container } from '../container';
import { AppError } from '../errors';
import { resolveBinaries } from '../media/binaries';
import type { Renderer } from '../render/renderer';
import { createRenderers, type RendererName } from '../render/renderers';
import type { SpeechSource } from '../render/speech';

const cache = new WeakMap<Container, Record<RendererName, Renderer>>();

/** The video's audio through the providers' SpeechService (recording, or TTS by avatar/video settings). */
function speechSource(c: Container): SpeechSource {
  return (req) =>
    c.speech.resolveSpeech({
      tenantId: req.video.tenant_id,
      video: { script: req.video.script, language: req.video.language, options: req.video.options as never },
      avatar: { id: req.avatar.id, voice_settings: req.avatar.voice_settings, voice_key: req.avatar.voice_key, provider_ids: req.avatar.provider_ids },
      workDir: req.workDir,
      signal: req.signal,
    });
}

/**
 * Every renderer of a container, built on first use. Renderers that need more wiring (photo, heygen,
 * remote) are added through `extra` here; missing ones answer 422 renderer_unavailable.
 */
export function renderersFor(c: Container): Record<RendererName, Renderer> {
  let r = cache.get(c);
  if (!r) {
    r = createRenderers({ binaries: resolveBinaries(c.config), storage: c.storage, speech: speechSource(c), extra: {} });
    cache.set(c, r);
  }
  return r;
}

/** The Renderer that runs a video's `renderer` name. */
export function rendererFor(c: Container, name: string): Renderer {
  const found = (renderersFor(c) as Partial<Record<string, Renderer>>)[name];
  if (!found) throw new AppError(422, 'renderer_unavailable', `Unknown renderer '${name}'`);
  return found;
}

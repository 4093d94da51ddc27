import type { Selectable } from 'kysely';
import type { AvatarsTable } from '../db/tables/core';
import { AppError } from '../errors';
import type { MediaBinaries } from '../media/binaries';
import type { Storage } from '../storage/storage';
import type { Renderer, RenderOutput } from './renderer';
import type { SpeechSource } from './speech';
import { StaticRenderer } from './static.renderer';

export type RendererName = Renderer['name'];
export const RENDERER_NAMES: RendererName[] = ['photo', 'static', 'heygen', 'remote'];

export interface RenderersDeps {
  binaries: MediaBinaries;
  storage: Storage;
  speech: SpeechSource;
  /** Renderers built elsewhere (photo, heygen, remote) when configured; missing ones answer renderer_unavailable. */
  extra?: Partial<Record<RendererName, Renderer>>;
}

/** A renderer that is not configured on this server: every render fails with 422 renderer_unavailable. */
export class UnavailableRenderer implements Renderer {
  constructor(
    readonly name: RendererName,
    private readonly reason: string,
  ) {}
  render(): Promise<RenderOutput> {
    return Promise.reject(new AppError(422, 'renderer_unavailable', `Renderer "${this.name}" is not available: ${this.reason}`));
  }
}

/** Every renderer by name; `static` always works, the others when their dependencies are configured. */
export function createRenderers(deps: RenderersDeps): Record<RendererName, Renderer> {
  const extra = deps.extra ?? {};
  return {
    static: new StaticRenderer(deps),
    photo: extra.photo ?? new UnavailableRenderer('photo', 'avatar preparation is not installed on this server'),
    heygen: extra.heygen ?? new UnavailableRenderer('heygen', 'set HEYGEN_API_KEY to use HeyGen'),
    remote: extra.remote ?? new UnavailableRenderer('remote', 'set REMOTE_RENDERER_URL to use a remote GPU worker'),
  };
}

type AvatarForChoice = Pick<Selectable<AvatarsTable>, 'id' | 'status' | 'prepared'>;

/** True when the avatar's photo has been prepared (landmarks and sprites cached) for the photo renderer. */
export function isPrepared(avatar: AvatarForChoice): boolean {
  return avatar.status === 'ready' && avatar.prepared !== null && typeof avatar.prepared === 'object';
}

/** The renderer for a video: the requested one, else `photo` when the avatar is prepared, else `static`. */
export function chooseRenderer(avatar: AvatarForChoice, requested?: RendererName | null): RendererName {
  if (requested === 'photo' && !isPrepared(avatar)) {
    throw new AppError(
      422,
      'avatar_not_ready',
      `Avatar ${avatar.id} is not prepared for the photo renderer yet (status ${avatar.status}); wait until it is ready or choose renderer "static"`,
    );
  }
  if (requested) return requested;
  return isPrepared(avatar) ? 'photo' : 'static';
}

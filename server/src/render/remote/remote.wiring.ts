import type { Config } from '../../config';
import type { MediaBinaries } from '../../media/binaries';
import type { Storage } from '../../storage/storage';
import type { SpeechSource } from '../speech';
import { RemoteRendererClient } from './remote.client';
import { RemoteRenderer } from './remote.renderer';

/**
 * The `remote` renderer when REMOTE_RENDERER_URL is set (pass it to createRenderers' `extra`), else undefined.
 * `token` is REMOTE_RENDERER_TOKEN once config.ts has it.
 */
export function createRemoteRenderer(o: { config: Config; storage: Storage; speech: SpeechSource; binaries: MediaBinaries; token?: string }): RemoteRenderer | undefined {
  if (!o.config.REMOTE_RENDERER_URL) return undefined;
  return new RemoteRenderer({
    client: new RemoteRendererClient({ baseUrl: o.config.REMOTE_RENDERER_URL, token: o.token }),
    storage: o.storage,
    speech: o.speech,
    binaries: o.binaries,
  });
}

import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/types';
import type { Logger } from '../../logger';
import type { MediaBinaries } from '../../media/binaries';
import type { Storage } from '../../storage/storage';
import type { SpeechSource } from '../speech';
import { HeyGenClient } from './heygen.client';
import { HeyGenRenderer } from './heygen.renderer';
import { ProviderIdsRepository } from './provider-ids.repository';

/** The `heygen` renderer when HEYGEN_API_KEY is set (pass it to createRenderers' `extra`), else undefined. */
export function createHeyGenRenderer(o: { config: Config; db: Kysely<DB>; storage: Storage; speech: SpeechSource; binaries: MediaBinaries; logger: Logger }): HeyGenRenderer | undefined {
  const { HEYGEN_API_KEY, HEYGEN_BASE_URL, HEYGEN_UPLOAD_URL } = o.config;
  if (!HEYGEN_API_KEY) return undefined;
  return new HeyGenRenderer({
    client: new HeyGenClient({ apiKey: HEYGEN_API_KEY, apiBase: HEYGEN_BASE_URL.replace(/\/$/, ''), uploadBase: HEYGEN_UPLOAD_URL.replace(/\/$/, '') }),
    storage: o.storage,
    speech: o.speech,
    binaries: o.binaries,
    providerIds: new ProviderIdsRepository(o.db),
    log: o.logger.child({ module: 'heygen' }),
  });
}

import type { Generated } from 'kysely';
import type { CreatedAt } from './core';

/** A sender's uploaded recording, used as a video's audio instead of TTS. */
export interface RecordingsTable {
  id: Generated<string>;
  tenant_id: string;
  owner_id: string;
  /** The original upload as received (converted to mono WAV at render time). */
  audio_key: string;
  mime: string;
  bytes: number;
  duration_sec: number;
  created_at: CreatedAt;
}

// Tables owned by the providers feature.
export interface ProvidersTables {
  recordings: RecordingsTable;
}

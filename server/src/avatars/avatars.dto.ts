import type { Avatar } from '@mvs/shared/schemas/avatars';
import type { Storage } from '../storage/storage';
import type { AvatarRow } from './avatars.repository';

/** How long photo_url links stay valid. */
export const PHOTO_URL_TTL_SEC = 3600;

/** Renderers that can render this avatar now: none before consent; 'static' with a photo; 'photo' once prepared. */
export function readyRenderers(a: Pick<AvatarRow, 'photo_key' | 'consent' | 'status' | 'prepared' | 'provider_ids'>): string[] {
  if (!a.photo_key || !a.consent) return [];
  const out = ['static'];
  if (a.status === 'ready' && a.prepared) out.push('photo');
  if (a.provider_ids?.heygen_talking_photo_id) out.push('heygen');
  return out;
}

/** Storage keys that the render pipeline recorded in `prepared` (any string under the tenant's prefix). */
export function preparedKeys(prepared: unknown, tenantId: string): string[] {
  const keys = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && v.startsWith(`${tenantId}/`)) keys.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(prepared);
  return [...keys];
}

/** The public JSON of an avatar (photo_url is a signed, expiring link). */
export async function toAvatarDto(a: AvatarRow, storage: Storage): Promise<Avatar> {
  return {
    id: a.id,
    name: a.name,
    status: a.status,
    error: a.error,
    error_code: a.error_code,
    photo_url: a.photo_key ? await storage.signedUrl(a.photo_key, PHOTO_URL_TTL_SEC) : null,
    photo_width: a.photo_width,
    photo_height: a.photo_height,
    has_voice: !!a.voice_key,
    voice_duration_sec: a.voice_duration_sec,
    voice_settings: a.voice_settings ?? {},
    language: a.language,
    consent: a.consent,
    ready_renderers: readyRenderers(a),
    owner_id: a.owner_id,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
  };
}

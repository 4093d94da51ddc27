import type { Selectable } from 'kysely';
import type { AvatarsTable } from '../db/tables/core';
import { AppError } from '../errors';

export type AvatarRow = Selectable<AvatarsTable>;

/**
 * Throws 422 avatar_not_ready (no photo) or consent_required unless the avatar can render at least with
 * the static renderer. Same rule as the avatar's `ready_renderers` (avatars.dto.ts).
 */
export function assertAvatarCanRender(a: AvatarRow): void {
  if (!a.photo_key) {
    throw new AppError(422, 'avatar_not_ready', `Avatar "${a.name}" has no photo yet; upload one with POST /api/v1/avatars/${a.id}/upload-photo`);
  }
  if (!a.consent) {
    throw new AppError(422, 'consent_required', `Avatar "${a.name}" needs a likeness consent record first: POST /api/v1/avatars/${a.id}/consent`);
  }
}

import type { TenantSettings, UpdateSettingsRequest } from '@mvs/shared/schemas/settings';
import type { AuditRepository } from '../audit/audit.repository';
import { assertRole } from '../auth/auth.middleware';
import { notFound } from '../errors';
import type { Principal } from '../http/env';
import type { Logger } from '../logger';
import { newKey, type Storage } from '../storage/storage';
import { normalizeLogo } from './logo';
import type { SettingsRepository } from './settings.repository';

/** How long logo_url links stay valid. */
export const LOGO_URL_TTL_SEC = 3600;

/** The stored shape other features read: tenants.settings.branding (the poster and watch page use it). */
export interface StoredBranding {
  primary_color: string | null;
  logo_key: string | null;
}

type Raw = Record<string, unknown>;

export function storedBranding(settings: Raw): StoredBranding {
  const b = (settings.branding ?? {}) as Partial<StoredBranding>;
  return { primary_color: typeof b.primary_color === 'string' ? b.primary_color : null, logo_key: typeof b.logo_key === 'string' ? b.logo_key : null };
}

/**
 * Workspace settings: branding, tracking privacy, notification defaults and the workspace name. Everyone in the
 * workspace may read them; only admins change them, and every change is audited.
 */
export class SettingsService {
  constructor(
    private readonly repo: SettingsRepository,
    private readonly storage: Storage,
    private readonly audit: AuditRepository,
    private readonly log: Logger,
    /** Called after a change, so caches that hold settings (the watch page's) drop them. */
    private readonly onChanged: () => void = () => {},
  ) {}

  async get(p: Principal): Promise<TenantSettings> {
    const t = await this.repo.tenant(p.tenantId);
    if (!t) throw notFound('Workspace', p.tenantId);
    return this.toDto(t);
  }

  async update(p: Principal, patch: UpdateSettingsRequest): Promise<TenantSettings> {
    assertRole(p.role, 'admin');
    const t = await this.repo.tenant(p.tenantId);
    if (!t) throw notFound('Workspace', p.tenantId);
    const s = t.settings as Raw;
    const keys: Raw = {};
    if (patch.branding && 'primary_color' in patch.branding) keys.branding = { ...storedBranding(s), primary_color: patch.branding.primary_color ?? null };
    if (patch.tracking?.privacy_mode !== undefined) {
      keys.privacy_mode = patch.tracking.privacy_mode;
      // The watch page's switch: opens are counted unless tracking_opens is false.
      keys.tracking_opens = !patch.tracking.privacy_mode;
    }
    if (patch.tracking && 'watch_link_days' in patch.tracking) keys.watch_link_days = patch.tracking.watch_link_days ?? null;
    if (patch.notifications?.email_on_first_view_default !== undefined) {
      keys.notifications = { ...((s.notifications ?? {}) as Raw), email_on_first_view_default: patch.notifications.email_on_first_view_default };
    }
    const after = await this.repo.update(p.tenantId, keys, patch.workspace?.name);
    if (!after) throw notFound('Workspace', p.tenantId);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'settings.updated', targetType: 'tenant', targetId: p.tenantId, details: { changes: patch } });
    this.onChanged();
    return this.toDto(after);
  }

  /** Stores a re-encoded logo and points branding.logo_key at it; the previous logo is deleted. */
  async uploadLogo(p: Principal, bytes: Buffer | undefined): Promise<TenantSettings> {
    assertRole(p.role, 'admin');
    const logo = await normalizeLogo(bytes);
    const t = await this.repo.tenant(p.tenantId);
    if (!t) throw notFound('Workspace', p.tenantId);
    const key = newKey(p.tenantId, 'branding', logo.ext);
    await this.storage.put(key, logo.buffer, logo.mime);
    const before = storedBranding(t.settings as Raw);
    const after = await this.repo.update(p.tenantId, { branding: { ...before, logo_key: key } });
    if (!after) {
      await this.drop(key);
      throw notFound('Workspace', p.tenantId);
    }
    if (before.logo_key) await this.drop(before.logo_key);
    await this.audit.record({
      tenantId: p.tenantId,
      userId: p.userId,
      action: 'settings.logo_uploaded',
      targetType: 'tenant',
      targetId: p.tenantId,
      details: { width: logo.width, height: logo.height, bytes: logo.buffer.length, mime: logo.mime },
    });
    this.onChanged();
    return this.toDto(after);
  }

  async removeLogo(p: Principal): Promise<TenantSettings> {
    assertRole(p.role, 'admin');
    const t = await this.repo.tenant(p.tenantId);
    if (!t) throw notFound('Workspace', p.tenantId);
    const before = storedBranding(t.settings as Raw);
    const after = await this.repo.update(p.tenantId, { branding: { ...before, logo_key: null } });
    if (!after) throw notFound('Workspace', p.tenantId);
    if (before.logo_key) await this.drop(before.logo_key);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'settings.logo_removed', targetType: 'tenant', targetId: p.tenantId });
    this.onChanged();
    return this.toDto(after);
  }

  private async drop(key: string) {
    await this.storage.delete(key).catch((err: unknown) => this.log.warn({ err, key }, 'could not delete the old logo'));
  }

  private async toDto(t: { id: string; name: string; domain: string; settings: unknown }): Promise<TenantSettings> {
    const s = (t.settings ?? {}) as Raw;
    const b = storedBranding(s);
    const days = Number(s.watch_link_days);
    return {
      workspace: { id: t.id, name: t.name, domain: t.domain },
      branding: { primary_color: b.primary_color, logo_url: b.logo_key ? await this.storage.signedUrl(b.logo_key, LOGO_URL_TTL_SEC) : null },
      tracking: { privacy_mode: s.privacy_mode === true || s.tracking_opens === false, watch_link_days: Number.isInteger(days) && days > 0 ? days : null },
      notifications: { email_on_first_view_default: ((s.notifications ?? {}) as Raw).email_on_first_view_default === true },
    };
  }
}

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types';
import type { ThumbnailBrand } from '../render/captions';
import type { Storage } from '../storage/storage';
import { parseHexColor, shade, textColorOn, toHex, type Rgb } from './brand-colors';

/** A workspace's branding as the watch page and thumbnails use it (from tenants.settings.branding). */
export interface Branding {
  /** `#RRGGBB` (upper case), or null. */
  color: string | null;
  logoKey: string | null;
}

/** Reads the stored shape `tenants.settings.branding = { primary_color, logo_key }`; anything malformed counts as unset. */
export function brandingOf(settings: unknown): Branding {
  const b = ((settings ?? {}) as { branding?: { primary_color?: unknown; logo_key?: unknown } }).branding ?? {};
  const rgb = parseHexColor(b.primary_color);
  return { color: rgb ? toHex(rgb).toUpperCase() : null, logoKey: typeof b.logo_key === 'string' && b.logo_key ? b.logo_key : null };
}

/** A short, stable version tag of a storage key (keys are never reused, so it changes whenever the object does). */
export const keyTag = (key: string) => createHash('sha1').update(key).digest('base64url').slice(0, 12);

/**
 * The watch page's branded CSS (a second inline style, hashed into the page's CSP): the call-to-action button in the
 * accent colour with white or dark text, whichever has the higher WCAG contrast on it (hover 12 % darker, checked
 * the same way), an accent rule under the header and accent focus rings. Null when there is no colour.
 */
export function brandCss(b: Branding): string | null {
  const accent = parseHexColor(b.color);
  if (!accent) return null;
  const hover: Rgb = shade(accent, 0.12);
  return (
    `:root{--accent:${toHex(accent)}}` +
    `.cta{background:${toHex(accent)};color:${toHex(textColorOn(accent))}}` +
    `.cta:focus,.cta:hover{background:${toHex(hover)};color:${toHex(textColorOn(hover))}}` +
    `header{border-bottom:3px solid ${toHex(accent)};padding-bottom:12px}` +
    `a:focus-visible,video:focus-visible{outline:3px solid ${toHex(accent)};outline-offset:2px}`
  );
}

/** The only query: a workspace's branding, by id. */
export class BrandingRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async forTenant(tenantId: string): Promise<Branding> {
    const row = await this.db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
    return brandingOf(row?.settings);
  }
}

/**
 * Branding for renders (poster and GIF): the colour and the logo's bytes. Cached per workspace for `ttlMs`
 * (a render starts seconds after a settings change at most this stale; a change in this process clears it), logo
 * bytes by storage key (keys are never reused). A logo that cannot be read leaves the thumbnail unbranded
 * rather than failing the render.
 */
export class BrandingService {
  private readonly tenants = new Map<string, { value: Branding; until: number }>();
  private readonly logos = new Map<string, Buffer>();
  constructor(
    private readonly repo: BrandingRepository,
    private readonly storage: Storage,
    private readonly ttlMs = 30_000,
  ) {}

  async forTenant(tenantId: string, now = Date.now()): Promise<Branding> {
    const hit = this.tenants.get(tenantId);
    if (hit && hit.until > now) return hit.value;
    const value = await this.repo.forTenant(tenantId);
    if (this.tenants.size > 10_000) this.tenants.clear();
    this.tenants.set(tenantId, { value, until: now + this.ttlMs });
    return value;
  }

  /** What posters and GIFs draw for the workspace; null when it has no branding. */
  async forRender(tenantId: string): Promise<ThumbnailBrand | null> {
    const b = await this.forTenant(tenantId);
    if (!b.color && !b.logoKey) return null;
    return { color: b.color, logo: b.logoKey ? await this.logo(b.logoKey) : null };
  }

  invalidate(): void {
    this.tenants.clear();
  }

  private async logo(key: string): Promise<Buffer | null> {
    const hit = this.logos.get(key);
    if (hit) return hit;
    const bytes = await this.storage.getBuffer(key).catch(() => null); // not cached: a storage hiccup must not stick
    if (!bytes) return null;
    if (this.logos.size > 256) this.logos.clear();
    this.logos.set(key, bytes);
    return bytes;
  }
}

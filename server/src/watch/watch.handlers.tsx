/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env';
import { serveObject } from '../storage/serve-object';
import { hitContext } from '../tracking/client-ip';
import { brandCss, brandingOf, keyTag } from './branding';
import { WATCH_CSP, watchCsp } from './watch.assets';
import { pickLang, type WatchLang } from './watch.i18n';
import { MessagePage, renderHtml, TOKEN_SLOT, WatchPage } from './watch.page';
import type { CachedPage, WatchTarget } from './watch.service';

type C = Context<AppEnv>;
const STATUS = { missing: 404, gone: 410, rendering: 200, ready: 200 } as const;

const safeCta = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

/** Renders a slug's page once per language (cached on the slug's entry), split where the per-view token goes. */
async function renderPage(t: WatchTarget, slug: string, lang: WatchLang, publicUrl: string): Promise<CachedPage> {
  let html: string;
  let csp = WATCH_CSP;
  if (t.kind === 'ready') {
    const brand = brandingOf(t.video.tenant_settings);
    const brandStyle = brandCss(brand);
    csp = watchCsp(brandStyle);
    const logoTag = brand.logoKey ? keyTag(brand.logoKey) : null;
    html = await renderHtml(
      <WatchPage video={{ ...t.video, cta_url: safeCta(t.video.cta_url) }} recipient={t.recipient} slug={slug} lang={lang} publicUrl={publicUrl} logoTag={logoTag} brandStyle={brandStyle} />,
    );
  } else html = await renderHtml(<MessagePage lang={lang} kind={t.kind} />);
  const at = html.indexOf(TOKEN_SLOT);
  return { halves: at < 0 ? [html, ''] : [html.slice(0, at), html.slice(at + TOKEN_SLOT.length)], csp };
}

async function page(c: C) {
  const { watch, tracking, config } = c.var.container;
  const slug = c.req.param('slug')!;
  const entry = await watch.resolve(slug);
  const t = entry.target;
  const lang = pickLang(c.req.query('lang'), c.req.header('accept-language'), t.kind === 'missing' ? undefined : t.video.language);
  let cached = entry.pages.get(lang);
  if (!cached) {
    cached = await renderPage(t, slug, lang, config.PUBLIC_URL);
    entry.pages.set(lang, cached);
  }
  const { halves } = cached;
  // Never cached: every view gets its own beacon token and counts as a click.
  c.header('Cache-Control', 'private, no-store');
  c.header('Vary', 'Accept-Language');
  c.header('Content-Security-Policy', cached.csp);
  if (t.kind !== 'ready') return c.html(halves[0] + halves[1], STATUS[t.kind]);
  const target = { tenantId: t.video.tenant_id, videoId: t.video.id, recipientId: t.recipient?.id ?? null };
  // Loading the page records a click; it never changes anything else (scanners GET every link).
  tracking.recordLinkHit({ ...target, deliveredAt: t.recipient?.delivered_at ?? null }, 'page', hitContext(c, config.TRUST_PROXY));
  return c.html(halves[0] + tracking.issueToken(target) + halves[1], 200);
}

const ready = (t: WatchTarget) => (t.kind === 'ready' ? t : null);

/** True when an If-None-Match header names `etag` (or is `*`); weak validators compare equal too. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((v) => {
    const tag = v.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

type ImageKind = 'poster' | 'gif' | 'avatar' | 'logo';

/**
 * Cache-Control per image. A thumbnail in an email (`poster`/`gif` without ?src=page) is the open signal:
 * `no-cache` makes every display revalidate, which costs a 304 with no body and still counts the open. The page's
 * own poster, the avatar and the logo may be reused for a while (a deleted video's stop within that time).
 */
const imageCacheControl = (which: ImageKind, fromPage: boolean) =>
  (which === 'poster' || which === 'gif') && !fromPage ? 'public, no-cache' : which === 'logo' ? 'public, max-age=3600' : 'public, max-age=300';

async function image(c: C, which: ImageKind) {
  const { watch, tracking, thumbs, storage, config } = c.var.container;
  const entry = await watch.resolve(c.req.param('slug')!);
  const t = ready(entry.target);
  if (!t) return c.body(null, entry.target.kind === 'gone' ? 410 : 404, { 'cache-control': 'no-store' });
  const key =
    which === 'poster' ? t.video.poster_key : which === 'gif' ? t.video.gif_key : which === 'avatar' ? t.video.avatar_photo_key : brandingOf(t.video.tenant_settings).logoKey;
  if (!key) return c.body(null, 404, { 'cache-control': 'no-store' });
  const fromPage = c.req.query('src') === 'page';
  // An email client fetching the thumbnail is an "open"; the page's own poster (?src=page) is not. Off per tenant.
  if ((which === 'poster' || which === 'gif') && t.trackOpens && !fromPage) {
    const deliveredAt = t.recipient?.delivered_at ?? null;
    tracking.recordLinkHit({ tenantId: t.video.tenant_id, videoId: t.video.id, recipientId: t.recipient?.id ?? null, deliveredAt }, which, hitContext(c, config.TRUST_PROXY));
  }
  const item = await thumbs.get(key);
  if (!item) return serveObject(c, storage, key, { cacheSeconds: 300 });
  const headers = { etag: item.etag, 'cache-control': imageCacheControl(which, fromPage) };
  if (etagMatches(c.req.header('if-none-match'), item.etag)) return c.body(null, 304, headers);
  // The cached Buffer itself (no copy): posters are served thousands of times a second at peaks.
  return c.body(item.body as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': item.contentType, 'content-length': String(item.body.length) });
}

async function video(c: C) {
  const { watch, storage } = c.var.container;
  const entry = await watch.resolve(c.req.param('slug')!);
  const t = ready(entry.target);
  if (!t || !t.video.video_key) return c.body(null, entry.target.kind === 'gone' ? 410 : 404);
  return serveObject(c, storage, t.video.video_key, { cacheSeconds: 3600 });
}

/** Public watch page, thumbnails and the video file (with Range), all by unguessable slug. */
export const watchRouter = new Hono<AppEnv>()
  .get('/v/:slug', page)
  .get('/v/:slug/poster.jpg', (c) => image(c, 'poster'))
  .get('/v/:slug/thumb.gif', (c) => image(c, 'gif'))
  .get('/v/:slug/avatar.jpg', (c) => image(c, 'avatar'))
  .get('/v/:slug/logo', (c) => image(c, 'logo'))
  .get('/v/:slug/video.mp4', video);

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env';
import { serveObject } from '../storage/serve-object';
import { hitContext } from '../tracking/client-ip';
import { WATCH_CSP } from './watch.assets';
import { pickLang } from './watch.i18n';
import { MessagePage, renderHtml, TOKEN_SLOT, WatchPage } from './watch.page';
import type { WatchTarget } from './watch.service';

type C = Context<AppEnv>;
const STATUS = { missing: 404, gone: 410, rendering: 200, ready: 200 } as const;

const safeCta = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

async function page(c: C) {
  const { watch, tracking, config } = c.var.container;
  const slug = c.req.param('slug')!;
  const entry = await watch.resolve(slug);
  const t = entry.target;
  const lang = pickLang(c.req.query('lang'), c.req.header('accept-language'), t.kind === 'missing' ? undefined : t.video.language);
  let halves = entry.pages.get(lang);
  if (!halves) {
    const html =
      t.kind === 'ready'
        ? await renderHtml(
            <WatchPage video={{ ...t.video, cta_url: safeCta(t.video.cta_url) }} recipient={t.recipient} slug={slug} lang={lang} publicUrl={config.PUBLIC_URL} />,
          )
        : await renderHtml(<MessagePage lang={lang} kind={t.kind} />);
    const at = html.indexOf(TOKEN_SLOT);
    halves = at < 0 ? [html, ''] : [html.slice(0, at), html.slice(at + TOKEN_SLOT.length)];
    entry.pages.set(lang, halves);
  }
  c.header('Cache-Control', 'private, no-store');
  c.header('Vary', 'Accept-Language');
  c.header('Content-Security-Policy', WATCH_CSP);
  if (t.kind !== 'ready') return c.html(halves[0] + halves[1], STATUS[t.kind]);
  const target = { tenantId: t.video.tenant_id, videoId: t.video.id, recipientId: t.recipient?.id ?? null };
  // Loading the page records a click; it never changes anything else (scanners GET every link).
  tracking.recordLinkHit({ ...target, deliveredAt: t.recipient?.delivered_at ?? null }, 'page', hitContext(c, config.TRUST_PROXY));
  return c.html(halves[0] + tracking.issueToken(target) + halves[1], 200);
}

const ready = (t: WatchTarget) => (t.kind === 'ready' ? t : null);

async function image(c: C, which: 'poster' | 'gif' | 'avatar') {
  const { watch, tracking, thumbs, storage, config } = c.var.container;
  const entry = await watch.resolve(c.req.param('slug')!);
  const t = ready(entry.target);
  if (!t) return c.body(null, entry.target.kind === 'gone' ? 410 : 404, { 'cache-control': 'no-store' });
  const key = which === 'poster' ? t.video.poster_key : which === 'gif' ? t.video.gif_key : t.video.avatar_photo_key;
  if (!key) return c.body(null, 404, { 'cache-control': 'no-store' });
  // An email client fetching the thumbnail is an "open"; the page's own poster (?src=page) is not. Off per tenant.
  if (which !== 'avatar' && t.trackOpens && c.req.query('src') !== 'page') {
    const deliveredAt = t.recipient?.delivered_at ?? null;
    tracking.recordLinkHit({ tenantId: t.video.tenant_id, videoId: t.video.id, recipientId: t.recipient?.id ?? null, deliveredAt }, which, hitContext(c, config.TRUST_PROXY));
  }
  const item = await thumbs.get(key);
  if (!item) return serveObject(c, storage, key, { cacheSeconds: 3600 });
  return c.body(new Uint8Array(item.body), 200, {
    'content-type': item.contentType,
    'content-length': String(item.body.length),
    'cache-control': 'public, max-age=3600',
  });
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
  .get('/v/:slug/video.mp4', video);

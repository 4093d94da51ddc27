/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { WatchRecipientRow, WatchVideoRow } from './watch.repository';
import { WATCH_CSS, WATCH_JS } from './watch.assets';
import { WATCH_TEXT, type WatchLang } from './watch.i18n';

/** Where the per-view beacon token is spliced into a cached page. */
export const TOKEN_SLOT = '__MVS_TRACK_TOKEN__';

const senderOf = (v: WatchVideoRow) => v.sender_name?.trim() || v.sender_email.split('@')[0]!;
const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

function Shell(props: { lang: WatchLang; title: string; head?: Child; extraStyle?: string | null; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        {props.head}
        <style dangerouslySetInnerHTML={{ __html: WATCH_CSS }} />
        {props.extraStyle ? <style dangerouslySetInnerHTML={{ __html: props.extraStyle }} /> : null}
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/**
 * The watch page: player with poster, sender, AI note, CTA, transcript, OpenGraph/Twitter tags; with the
 * workspace's logo above the header and `brandStyle` (its accent colours, see branding.ts) when it has them.
 */
export function WatchPage(p: {
  video: WatchVideoRow;
  recipient: WatchRecipientRow | null;
  slug: string;
  lang: WatchLang;
  publicUrl: string;
  /** `?v=` tag of the logo (changes when the logo does); null = no logo. */
  logoTag?: string | null;
  brandStyle?: string | null;
}) {
  const t = WATCH_TEXT[p.lang];
  const sender = senderOf(p.video);
  const base = `${p.publicUrl.replace(/\/$/, '')}/v/${p.slug}`;
  const title = p.video.title?.trim() || t.from(sender);
  const width = String(p.video.width ?? 1280);
  const height = String(p.video.height ?? 720);
  const head = (
    <>
      <meta name="description" content={t.description(sender)} />
      <meta property="og:type" content="video.other" />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={t.description(sender)} />
      <meta property="og:url" content={base} />
      <meta property="og:image" content={`${base}/poster.jpg?src=page`} />
      <meta property="og:image:width" content={width} />
      <meta property="og:image:height" content={height} />
      <meta property="og:video" content={`${base}/video.mp4`} />
      <meta property="og:video:type" content="video/mp4" />
      <meta property="og:video:width" content={width} />
      <meta property="og:video:height" content={height} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={t.description(sender)} />
      <meta name="twitter:image" content={`${base}/poster.jpg?src=page`} />
    </>
  );
  return (
    <Shell lang={p.lang} title={title} head={head} extraStyle={p.brandStyle}>
      <main id="w" data-t={TOKEN_SLOT}>
        {p.logoTag ? (
          <div class="brand">
            <img src={`/v/${p.slug}/logo?v=${p.logoTag}`} alt={p.video.tenant_name} />
          </div>
        ) : null}
        <header>
          {p.video.avatar_photo_key ? (
            <img class="av" src={`/v/${p.slug}/avatar.jpg`} alt={sender} width="48" height="48" />
          ) : (
            <div class="av" aria-hidden="true">{initials(sender)}</div>
          )}
          <div>
            <div class="from">{t.from(sender)}</div>
            <h1>{title}</h1>
          </div>
        </header>
        {p.recipient?.name ? <p>{t.hi(p.recipient.name)}</p> : null}
        <video id="v" controls playsinline preload="metadata" poster={`/v/${p.slug}/poster.jpg?src=page`} width={width} height={height}>
          <source src={`/v/${p.slug}/video.mp4`} type="video/mp4" />
          <p>
            {t.noVideo} <a href={`/v/${p.slug}/video.mp4`}>{t.download}</a>
          </p>
        </video>
        <span class="ai" title={t.aiNoteLong(sender)}>
          {t.aiNote}
        </span>
        {p.video.cta_url && p.video.cta_label ? (
          <a id="cta" class="cta" href={p.video.cta_url} target="_blank" rel="noopener noreferrer">
            {p.video.cta_label}
          </a>
        ) : null}
        <section>
          <h2>{t.transcript}</h2>
          <p>{p.video.script}</p>
          <p class="from">{t.aiNoteLong(sender)}</p>
        </section>
      </main>
      <script dangerouslySetInnerHTML={{ __html: WATCH_JS }} />
    </Shell>
  );
}

/** The friendly page for unknown, removed, expired or still-rendering videos. */
export function MessagePage(p: { lang: WatchLang; kind: 'missing' | 'gone' | 'rendering' }) {
  const t = WATCH_TEXT[p.lang];
  const [title, body] =
    p.kind === 'missing' ? [t.missingTitle, t.missingBody] : p.kind === 'gone' ? [t.goneTitle, t.goneBody] : [t.renderingTitle, t.renderingBody];
  return (
    <Shell lang={p.lang} title={title} head={p.kind === 'rendering' ? <meta http-equiv="refresh" content="15" /> : null}>
      <main class="msg">
        <h1>{title}</h1>
        <p>{body}</p>
      </main>
    </Shell>
  );
}

/** Renders to a string with the doctype. */
export async function renderHtml(node: { toString(): string | Promise<string> }): Promise<string> {
  return `<!doctype html>${await node.toString()}`;
}

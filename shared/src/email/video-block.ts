/**
 * The email HTML for a video: a linked thumbnail (play button baked into the image) plus a text link.
 * One pure function, used by the add-in insert and by server-side sending. Markup rules follow what the
 * clients do (see docs: Outlook's Word engine ignores CSS width, background images, flex/grid and <style>;
 * classic Outlook shows only the first frame of a GIF; Gmail proxies images and drops data: URIs):
 * table layout, HTML width/height/border attributes, inline styles only, bgcolor attributes, no VML.
 */
export type EmailClient = 'outlook' | 'gmail' | 'apple' | 'generic';

export interface VideoBlockInput {
  /** The recipient's watch page (absolute http(s) URL). */
  watchUrl: string;
  /** The still poster (play button drawn on). Always used for Outlook. */
  imageUrl: string;
  /** Optional animated GIF (play button on every frame); used where the client animates GIFs. */
  gifUrl?: string;
  /** Display size in CSS pixels (the image itself may be 2× for retina). */
  width: number;
  height: number;
  /** What image-blocked clients and screen readers show, e.g. "▶ Play video: Q3 recap (1:12)". */
  alt: string;
  /** The visible text link under the image, e.g. "Watch the video (1:12)". */
  linkText: string;
  client?: EmailClient;
}

export interface VideoBlock {
  html: string;
  text: string;
}

/** Which image each client gets and whether Outlook-only attributes are added. */
export const CLIENT_RULES: Record<EmailClient, { animatedGif: boolean; outlookLinkId: boolean }> = {
  // Classic Outlook (Word engine) shows frame 1 of a GIF only: send the poster. id="LPNoLP" stops the link-preview card.
  outlook: { animatedGif: false, outlookLinkId: true },
  gmail: { animatedGif: true, outlookLinkId: false },
  apple: { animatedGif: true, outlookLinkId: false },
  // Unknown client: the poster is safe everywhere; the sender may be on Outlook.
  generic: { animatedGif: false, outlookLinkId: true },
};

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text and attribute values for HTML. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);

function absoluteUrl(name: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute http(s) URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new TypeError(`${name} must be an absolute http(s) URL (no data: or javascript:)`);
  return value;
}

function size(name: string, n: number): number {
  if (!Number.isFinite(n) || n < 1 || n > 2000) throw new RangeError(`${name} must be between 1 and 2000 pixels`);
  return Math.round(n);
}

/** Builds the linked-thumbnail block for one client; everything user-supplied is escaped. */
export function buildVideoBlock(input: VideoBlockInput): VideoBlock {
  const rules = CLIENT_RULES[input.client ?? 'generic'];
  const watch = absoluteUrl('watchUrl', input.watchUrl);
  const image = absoluteUrl(rules.animatedGif && input.gifUrl ? 'gifUrl' : 'imageUrl', rules.animatedGif && input.gifUrl ? input.gifUrl : input.imageUrl);
  const w = size('width', input.width);
  const h = size('height', input.height);
  const href = escapeHtml(watch);
  const linkAttrs = `href="${href}" target="_blank"${rules.outlookLinkId ? ' id="LPNoLP"' : ''}`;
  const font = 'font-family:Arial,Helvetica,sans-serif;font-size:13px;line-height:18px;';
  const html =
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${w}" bgcolor="#ffffff" style="border-collapse:collapse;">` +
    `<tr><td bgcolor="#f1f3f4"><a ${linkAttrs}>` +
    `<img src="${escapeHtml(image)}" width="${w}" height="${h}" border="0" alt="${escapeHtml(input.alt)}" ` +
    `style="display:block;width:${w}px;height:auto;max-width:100%;border:0;outline:none;text-decoration:none;color:#1a73e8;${font}">` +
    `</a></td></tr>` +
    `<tr><td bgcolor="#ffffff" style="padding-top:6px;${font}"><a ${linkAttrs} style="color:#1a73e8;text-decoration:underline;">${escapeHtml(input.linkText)}</a></td></tr>` +
    `</table>`;
  return { html, text: `${input.linkText}: ${watch}` };
}

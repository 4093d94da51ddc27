/**
 * Stand-in with the exact contract of shared/src/email/video-block.ts (email-send engineer) until that
 * file lands; the add-in imports buildVideoBlock only through insert-block.ts, so swapping is one line.
 */
export interface VideoBlockInput {
  watchUrl: string;
  imageUrl: string;
  width: number;
  height: number;
  alt: string;
  linkText: string;
  client?: 'outlook' | 'gmail' | 'apple' | 'generic';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function buildVideoBlock(i: VideoBlockInput): { html: string; text: string } {
  const href = esc(i.watchUrl);
  const html =
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${i.width}" style="border-collapse:collapse;">` +
    `<tr><td><a href="${href}" target="_blank" id="LPNoLP"><img src="${esc(i.imageUrl)}" width="${i.width}" height="${i.height}" border="0" alt="${esc(i.alt)}" style="display:block;width:${i.width}px;height:auto;max-width:100%;"></a></td></tr>` +
    `<tr><td style="padding-top:6px;font-family:Arial,sans-serif;font-size:13px;"><a href="${href}" target="_blank">${esc(i.linkText)}</a></td></tr></table>`;
  return { html, text: `${i.linkText}: ${i.watchUrl}` };
}

import { buildVideoBlock, type EmailClient } from '@mvs/shared/email/video-block';
import { formatDuration, translator } from '@mvs/shared/i18n/i18n';
import { parseAddress } from '../mail/sendgrid.mailer';
import type { RecipientLinks } from '../tracking/recipients.service';
import { composeEmail, type MailLocale } from './send.compose';

/** Display box of the thumbnail: at most 480×400, aspect kept (same as the add-in insert). */
export function thumbnailBox(width: number | null, height: number | null) {
  const w = width && width > 0 ? width : 16;
  const h = height && height > 0 ? height : 9;
  const scale = Math.min(480 / w, 400 / h);
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}

export interface VideoEmailInput {
  video: { title: string | null; language: string; duration_sec: number | null; width: number | null; height: number | null };
  links: Pick<RecipientLinks, 'watchUrl' | 'posterUrl' | 'gifUrl'>;
  to: { email: string; name: string | null };
  subject: string;
  bodyText?: string;
  bodyHtml?: string;
  client: EmailClient;
  /** 'auto' (default): the GIF where the client animates it; 'poster': always the still; 'gif': always the GIF (Outlook shows its first frame). */
  thumbnail?: 'auto' | 'poster' | 'gif';
  unsubscribeUrl: string;
  from: string;
  /** Our id of the message (X-MVS-Message-Id). */
  messageId: string;
}

/** The linked thumbnail block of one recipient (also the `html_snippet` of a campaign's PURL export). */
export function videoBlockFor(i: Pick<VideoEmailInput, 'video' | 'links' | 'client' | 'thumbnail'>) {
  const locale: MailLocale = i.video.language === 'vi' ? 'vi' : 'en';
  const t = translator(locale);
  const duration = formatDuration(i.video.duration_sec ?? 0);
  const title = i.video.title?.trim() || t('block.defaultTitle');
  const thumb = i.thumbnail ?? 'auto';
  return buildVideoBlock({
    watchUrl: i.links.watchUrl,
    imageUrl: thumb === 'gif' ? i.links.gifUrl : i.links.posterUrl,
    gifUrl: thumb === 'auto' ? i.links.gifUrl : undefined,
    ...thumbnailBox(i.video.width, i.video.height),
    alt: t('block.alt', { title, duration }),
    linkText: t('block.link', { duration }),
    client: i.client,
  });
}

/**
 * One recipient's video email: the linked thumbnail block, the sender's body with `{{video}}` placed, the
 * unsubscribe footer and the RFC 8058 one-click headers. Used by POST /emails/send and by campaigns.
 */
export function buildVideoEmail(i: VideoEmailInput): { subject: string; html: string; text: string; headers: Record<string, string> } {
  const locale: MailLocale = i.video.language === 'vi' ? 'vi' : 'en';
  const block = videoBlockFor(i);
  const mail = composeEmail({ subject: i.subject, bodyText: i.bodyText, bodyHtml: i.bodyHtml, block, recipient: i.to, unsubscribeUrl: i.unsubscribeUrl, locale });
  const token = i.unsubscribeUrl.split('/u/')[1] ?? '';
  const headers = {
    'List-Unsubscribe': `<${i.unsubscribeUrl}>, <mailto:${parseAddress(i.from).email}?subject=unsubscribe%20${token}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'X-MVS-Message-Id': i.messageId,
  };
  return { ...mail, headers };
}

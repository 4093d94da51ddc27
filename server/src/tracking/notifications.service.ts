import type { Notification } from '@mvs/shared/schemas/analytics';
import { notFound } from '../errors';
import type { Principal } from '../http/env';
import type { Logger } from '../logger';
import type { NotificationRow, NotificationsRepository } from './notifications.repository';
import type { FirstView } from './tracking.hooks';

/** Sends a plain email to the video owner; implemented by the email feature's Mailer when it is wired. */
export interface OwnerMailer {
  send(msg: { to: string; subject: string; text: string }): Promise<void>;
}

type Data = { video_title?: string; recipient_name?: string | null; recipient_email?: string | null };

/** The notice text in English or Vietnamese; names the viewer only when the link was theirs alone. */
export function firstViewMessage(d: Data, locale: string): string {
  const who = d.recipient_email ? (d.recipient_name ? `${d.recipient_name} (${d.recipient_email})` : d.recipient_email) : null;
  const title = d.video_title ?? '';
  if (locale.startsWith('vi')) return who ? `${who} đã xem video "${title}" của bạn.` : `Có người đã xem video "${title}" của bạn qua liên kết chung.`;
  return who ? `${who} watched your video "${title}".` : `Someone watched your video "${title}" through its shared link.`;
}

/** In-app (and opt-in email) notices for the sender when a recipient first watches. */
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly log: Logger,
    private mailer: OwnerMailer | null = null,
  ) {}

  /** Lets the email feature plug its Mailer in after construction. */
  useMailer(m: OwnerMailer) {
    this.mailer = m;
  }

  async onFirstView(f: FirstView): Promise<void> {
    const video = await this.repo.videoWithOwner(f.tenantId, f.videoId);
    if (!video) return;
    const r = f.recipientId ? await this.repo.recipient(f.tenantId, f.recipientId) : undefined;
    const title = video.title ?? video.script.slice(0, 60);
    const data: Data = { video_title: title, recipient_name: r?.name ?? null, recipient_email: r?.email ?? null };
    const wantsEmail = (await this.repo.prefs(f.tenantId, video.owner_id)).email_on_first_view;
    const row = await this.repo.insert({
      tenant_id: f.tenantId,
      user_id: video.owner_id,
      kind: 'video.first_view',
      video_id: video.id,
      recipient_id: r?.id ?? null,
      data,
      email_status: wantsEmail ? 'pending' : 'not_requested',
    });
    if (!wantsEmail) return;
    if (!this.mailer) {
      this.log.warn({ notificationId: row.id }, 'first-view email requested but no mailer is configured; left pending');
      return;
    }
    const text = firstViewMessage(data, video.owner_locale);
    try {
      await this.mailer.send({ to: video.owner_email, subject: text.slice(0, 120), text });
      await this.repo.setEmailStatus(f.tenantId, row.id, 'sent');
    } catch (err) {
      this.log.warn({ err, notificationId: row.id }, 'first-view email failed');
      await this.repo.setEmailStatus(f.tenantId, row.id, 'failed');
    }
  }

  async list(p: Principal, unreadOnly: boolean, limit: number) {
    const [rows, unread, locale] = await Promise.all([
      this.repo.list(p.tenantId, p.userId, { unreadOnly, limit }),
      this.repo.countUnread(p.tenantId, p.userId),
      this.repo.userLocale(p.tenantId, p.userId),
    ]);
    return { items: rows.map((n) => this.toDto(n, locale?.locale ?? 'en')), unread };
  }

  /** Where a live stream starts: after the newest notification the user already has. */
  async cursorNow(p: Principal): Promise<{ at: Date; id: string }> {
    const r = await this.repo.latest(p.tenantId, p.userId);
    return r ? { at: r.created_at, id: r.id } : { at: new Date(0), id: '00000000-0000-0000-0000-000000000000' };
  }

  /** Notifications after `cursor`, oldest first, in the reader's language, each with the cursor that follows it. */
  async since(p: Principal, cursor: { at: Date; id: string }, limit = 50) {
    const rows = await this.repo.listSince(p.tenantId, p.userId, cursor, limit);
    if (!rows.length) return [];
    const locale = (await this.repo.userLocale(p.tenantId, p.userId))?.locale ?? 'en';
    return rows.map((n) => ({ notification: this.toDto(n, locale), cursor: { at: n.created_at, id: n.id } }));
  }

  async markRead(p: Principal, id: string) {
    const row = await this.repo.markRead(p.tenantId, p.userId, id);
    if (!row) throw notFound('Notification', id);
    const locale = await this.repo.userLocale(p.tenantId, p.userId);
    return this.toDto(row, locale?.locale ?? 'en');
  }

  getPrefs = (p: Principal) => this.repo.prefs(p.tenantId, p.userId);
  setPrefs = (p: Principal, prefs: { email_on_first_view: boolean }) => this.repo.setPrefs(p.tenantId, p.userId, prefs);

  private toDto(n: NotificationRow, locale: string): Notification {
    const d = n.data as Data;
    return {
      id: n.id,
      kind: n.kind,
      message: firstViewMessage(d, locale),
      video_id: n.video_id,
      recipient: n.recipient_id && d.recipient_email ? { id: n.recipient_id, email: d.recipient_email, name: d.recipient_name ?? null } : null,
      email_status: n.email_status as Notification['email_status'],
      read_at: n.read_at ? n.read_at.toISOString() : null,
      created_at: n.created_at.toISOString(),
    };
  }
}

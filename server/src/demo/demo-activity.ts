import { randomBytes } from 'node:crypto';
import type { Container } from '../container';
import { DEMO } from '../seed';
import type { Classification, TrackEventType } from '../db/tables/tracking';
import { TrackingRepository } from '../tracking/tracking.repository';
import { DemoActivityRepository } from './demo-activity.repository';

type Milestone = 0 | 25 | 50 | 75 | 100;
/** One viewing of the watch page by a person: when (before the seed ran), how far, and whether they clicked the call to action. */
export interface DemoViewing {
  minutesAgo: number;
  reached: Milestone;
  cta?: boolean;
}
export interface DemoRecipient {
  name: string;
  email: string;
  deliveredMinutesAgo: number;
  /** What a machine did right after delivery: Apple Mail Privacy Protection prefetch, or a link scanner's click. */
  machine?: 'apple_mpp' | 'scanner';
  /** The person opened the email in a mail client that loads images (a human open) before each viewing. */
  humanOpen?: boolean;
  viewings: DemoViewing[];
}
export interface DemoVideo {
  id: string;
  owner: 'admin' | 'user';
  title: string;
  script: string;
  language: 'en' | 'vi';
  cta?: { label: string; url: string };
  createdMinutesAgo: number;
  recipients: DemoRecipient[];
  /** Viewings through the shared (non-personal) link. */
  shared: DemoViewing[];
}

const H = 60;
const D = 24 * H;

/** The demo videos and what their viewers did. Fixed ids, so seeding twice changes nothing. */
export const DEMO_VIDEOS: readonly DemoVideo[] = [
  {
    id: '7b0a2f64-3c1d-4e8a-9f10-5d6e7a8b9c01',
    owner: 'user',
    title: 'Pricing for the fleet tracking pilot',
    script:
      'Hi there, thanks for your time on Tuesday. For a pilot with 40 vehicles the price is 12 euros per vehicle per month, with the EU data hosting you asked about. I have put the details in the email below. Shall we pick a start date?',
    language: 'en',
    cta: { label: 'Book a call', url: 'https://calendar.example/fleet-pilot' },
    createdMinutesAgo: 14 * D,
    recipients: [
      { name: 'Lan Nguyen', email: 'lan.nguyen@customer.example', deliveredMinutesAgo: 3 * H, machine: 'apple_mpp', humanOpen: true, viewings: [{ minutesAgo: 2, reached: 75, cta: true }] },
      { name: 'Priya Shah', email: 'priya.shah@fleetco.example', deliveredMinutesAgo: 3 * D, machine: 'apple_mpp', humanOpen: true, viewings: [{ minutesAgo: 2 * D + 5 * H, reached: 50 }] },
      { name: 'Carlos Ruiz', email: 'carlos.ruiz@logistica.example', deliveredMinutesAgo: 6 * D, machine: 'scanner', viewings: [] },
      { name: 'Emma Wilson', email: 'emma.wilson@northwind.example', deliveredMinutesAgo: 12 * D, humanOpen: true, viewings: [{ minutesAgo: 12 * D - 2 * H, reached: 100, cta: true }, { minutesAgo: 9 * D, reached: 50 }] },
    ],
    shared: [{ minutesAgo: 4 * D, reached: 25 }],
  },
  {
    id: '7b0a2f64-3c1d-4e8a-9f10-5d6e7a8b9c02',
    owner: 'user',
    title: 'Căn hộ 2 phòng ngủ ở Thảo Điền',
    script:
      'Chào chị, cảm ơn chị đã quan tâm đến căn hộ hai phòng ngủ ở Thảo Điền. Căn hộ có ban công hướng sông và chỗ đậu xe. Chị xem video và chọn giờ xem nhà phù hợp nhé.',
    language: 'vi',
    cta: { label: 'Đặt lịch xem nhà', url: 'https://nhadat.example/lich-xem' },
    createdMinutesAgo: 22 * D,
    recipients: [
      { name: 'Phạm Thu Hà', email: 'thuha.pham@khachhang.example.vn', deliveredMinutesAgo: 1 * D + 3 * H, machine: 'apple_mpp', humanOpen: true, viewings: [{ minutesAgo: 1 * D, reached: 100, cta: true }] },
      { name: 'Lê Văn Hùng', email: 'hung.le@khachhang.example.vn', deliveredMinutesAgo: 9 * D, machine: 'apple_mpp', viewings: [] },
      { name: 'Đỗ Mai Anh', email: 'maianh.do@khachhang.example.vn', deliveredMinutesAgo: 20 * D, humanOpen: true, viewings: [{ minutesAgo: 19 * D, reached: 25 }] },
    ],
    shared: [],
  },
  {
    id: '7b0a2f64-3c1d-4e8a-9f10-5d6e7a8b9c03',
    owner: 'admin',
    title: 'Welcome aboard',
    script: 'Welcome aboard! I am glad you chose us. In this short video I show you the three things to set up in your first week, and who to call when you need help.',
    language: 'en',
    createdMinutesAgo: 27 * D,
    recipients: [
      { name: 'Sofia Rossi', email: 'sofia.rossi@newclient.example', deliveredMinutesAgo: 5 * D, humanOpen: true, viewings: [{ minutesAgo: 5 * D - 40, reached: 50 }] },
      { name: 'Daniel Kim', email: 'daniel.kim@newclient.example', deliveredMinutesAgo: 15 * D, machine: 'apple_mpp', humanOpen: true, viewings: [{ minutesAgo: 14 * D, reached: 75 }] },
      { name: "James O'Connor", email: 'james.oconnor@newclient.example', deliveredMinutesAgo: 26 * D, machine: 'scanner', viewings: [] },
    ],
    shared: [{ minutesAgo: 18 * D, reached: 50 }],
  },
];

const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const MAIL_UA = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)';

interface Ev {
  type: TrackEventType | 'delivered';
  value: number | null;
  classification: Classification;
  reason: string;
  at: Date;
  session: string | null;
  ua: string | null;
}

/** The events of one viewing: page load (click), the play beacon, milestones, completion and the call to action. */
function viewingEvents(v: DemoViewing, start: Date, session: string, withOpen: boolean): Ev[] {
  const t = (s: number) => new Date(start.getTime() + s * 1000);
  const human = (type: TrackEventType, s: number, value: number | null = null): Ev => ({ type, value, classification: 'human', reason: 'browser', at: t(s), session, ua: BROWSER_UA });
  const out: Ev[] = [];
  if (withOpen) out.push({ ...human('open', -90), reason: 'mail_client', session: null, ua: MAIL_UA });
  out.push(human('click', 0), human('play', 4));
  for (const m of [25, 50, 75, 100] as const) if (v.reached >= m) out.push(human('progress', 4 + m / 5, m));
  if (v.reached === 100) out.push(human('complete', 26));
  if (v.cta) out.push(human('cta', 28));
  return out;
}

/** Every event of one recipient: delivery, what machines did right after it, then each viewing. */
export function recipientEvents(r: DemoRecipient, now: Date, sessionPrefix: string): Ev[] {
  const ago = (m: number) => new Date(now.getTime() - m * 60_000);
  const delivered = ago(r.deliveredMinutesAgo);
  const after = (s: number) => new Date(delivered.getTime() + s * 1000);
  const out: Ev[] = [{ type: 'delivered', value: null, classification: 'human', reason: 'delivered', at: delivered, session: null, ua: null }];
  if (r.machine === 'apple_mpp') out.push({ type: 'open', value: null, classification: 'machine', reason: 'apple_mpp_prefetch', at: after(20), session: null, ua: 'Mozilla/5.0' });
  if (r.machine === 'scanner') {
    out.push({ type: 'open', value: null, classification: 'machine', reason: 'scanner_network:microsoft_eop', at: after(3), session: null, ua: BROWSER_UA });
    out.push({ type: 'click', value: null, classification: 'machine', reason: 'scanner_network:microsoft_eop', at: after(4), session: null, ua: BROWSER_UA });
  }
  r.viewings.forEach((v, i) => out.push(...viewingEvents(v, ago(v.minutesAgo), `${sessionPrefix}-${i}`, r.humanOpen === true)));
  return out;
}

/**
 * Adds the demo videos and their viewers to the demo workspace (on `npm start`, when SEED_DEMO_ACTIVITY is on), so the
 * portal's dashboard, analytics and notifications have something to show. Events go through the tracking aggregates
 * like live ones. The videos are rendered by the worker like any other (they show as queued until then). Idempotent.
 */
export async function seedDemoActivity(c: Container, ids: { tenantId: string; adminId: string; userId: string }, now = new Date()): Promise<boolean> {
  const repo = new DemoActivityRepository(c.db);
  if (await repo.videoExists(ids.tenantId, DEMO_VIDEOS[0]!.id)) return false;
  const tracking = new TrackingRepository(c.db);
  const ago = (m: number) => new Date(now.getTime() - m * 60_000);
  const queueRunning = await c.queue.ping().then(() => true, () => false);
  for (const [vi, v] of DEMO_VIDEOS.entries()) {
    if (await repo.videoExists(ids.tenantId, v.id)) continue;
    const ownerId = v.owner === 'admin' ? ids.adminId : ids.userId;
    await repo.insertVideo({
      id: v.id,
      tenant_id: ids.tenantId,
      owner_id: ownerId,
      avatar_id: DEMO.avatarId,
      title: v.title,
      script: v.script,
      language: v.language,
      renderer: 'photo',
      slug: randomBytes(16).toString('base64url'),
      cta_label: v.cta?.label ?? null,
      cta_url: v.cta?.url ?? null,
      created_at: ago(v.createdMinutesAgo),
      updated_at: ago(v.createdMinutesAgo),
    });
    const events: Parameters<TrackingRepository['importEvents']>[0] = [];
    const notices: Parameters<DemoActivityRepository['insertNotifications']>[0] = [];
    const push = (list: Ev[], recipientId: string | null) =>
      list.forEach((e) =>
        events.push({
          tenant_id: ids.tenantId,
          video_id: v.id,
          recipient_id: recipientId,
          session_id: e.session,
          type: e.type,
          value: e.value,
          classification: e.classification,
          reason: e.reason,
          ip_hash: null,
          user_agent: e.ua,
          dedup_key: null,
          created_at: e.at,
        }),
      );
    const notice = (at: Date, recipient: { id: string; name: string; email: string } | null) =>
      notices.push({
        tenant_id: ids.tenantId,
        user_id: ownerId,
        kind: 'video.first_view',
        video_id: v.id,
        recipient_id: recipient?.id ?? null,
        data: JSON.stringify({ video_title: v.title, recipient_name: recipient?.name ?? null, recipient_email: recipient?.email ?? null }),
        // Older notices are shown as read; the last day's are new.
        read_at: now.getTime() - at.getTime() > D * 60_000 ? at : null,
        created_at: at,
      });
    for (const [ri, r] of v.recipients.entries()) {
      const row = await repo.insertRecipient({
        tenant_id: ids.tenantId,
        video_id: v.id,
        email: r.email,
        name: r.name,
        slug: randomBytes(16).toString('base64url'),
        delivered_at: ago(r.deliveredMinutesAgo),
        created_at: ago(r.deliveredMinutesAgo + 1),
      });
      push(recipientEvents(r, now, `demo-${vi}-${ri}`), row.id);
      const first = [...r.viewings].sort((a, b) => b.minutesAgo - a.minutesAgo)[0];
      if (first) notice(new Date(ago(first.minutesAgo).getTime() + 4000), { id: row.id, name: r.name, email: r.email });
    }
    v.shared.forEach((s, si) => push(viewingEvents(s, ago(s.minutesAgo), `demo-${vi}-link-${si}`, false), null));
    const firstShared = [...v.shared].sort((a, b) => b.minutesAgo - a.minutesAgo)[0];
    if (firstShared) notice(new Date(ago(firstShared.minutesAgo).getTime() + 4000), null);
    await tracking.importEvents(events);
    await repo.insertNotifications(notices);
    if (queueRunning) await c.queue.send('render-video', { videoId: v.id, tenantId: ids.tenantId });
  }
  c.logger.info({ videos: DEMO_VIDEOS.length }, 'demo activity seeded');
  return true;
}

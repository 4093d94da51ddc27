import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { AuditRepository } from './audit/audit.repository';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/password';
import { TokenService } from './auth/tokens';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrateToLatest } from './db/migrator';
import type { DB } from './db/types';
import { JobQueue } from './jobs/queue';
import type { Logger } from './logger';
import { AvatarsRepository } from './avatars/avatars.repository';
import { AvatarsService } from './avatars/avatars.service';
import './avatars/avatars.seed';
import { createStorage } from './storage/storage.factory';
import { resolveBinaries } from './media/binaries';
import type { Storage } from './storage/storage';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';
import { VideoJobsRepository } from './videos/video-jobs.repository';
import { VideosRepository } from './videos/videos.repository';
import { VideosService } from './videos/videos.service';
import { createTracking, type Tracking } from './tracking/tracking.wiring';
import { createProviders, type Providers } from './providers/providers.wiring';
import { createRendering, type Rendering } from './render/render.wiring';
import { createEmailAi, type EmailAi } from './emails/emails-ai.wiring';
import { createEntra, type Entra } from './auth/entra.wiring';
import { createEmailSend } from './emails/send.wiring';
import { createWebhooks } from './webhooks/webhooks.wiring';
import { createContacts, type Contacts } from './contacts/contacts.wiring';
import { createCampaigns, type Campaigns } from './campaigns/campaigns.wiring';
import { createTemplates, type Templates } from './templates/templates.wiring';
import type { HostResolver } from './net/outbound';
import { keyRing, SecretBox } from './security/secret-box';
import { SettingsRepository } from './settings/settings.repository';
import { SettingsService } from './settings/settings.service';
import { OverviewRepository } from './tracking/overview.repository';
import { OverviewService } from './tracking/overview.service';
import { RevocationList } from './auth/revocations';
import { SessionsRepository } from './auth/sessions.repository';
import { LoginThrottle } from './auth/throttle';
import { ThrottleRepository } from './auth/throttle.repository';
import { IpHasher } from './tracking/crypto';
import { ProviderKeysRepository } from './settings/provider-keys.repository';
import { ProviderKeysService } from './settings/provider-keys.service';

type EmailSend = ReturnType<typeof createEmailSend>;

/** Everything the app and worker use, built once (composition root). */
export interface Container {
  config: Config;
  logger: Logger;
  database: Database;
  db: Kysely<DB>;
  storage: Storage;
  queue: JobQueue;
  tokens: TokenService;
  /** Seals secrets at rest (AES-256-GCM under ENCRYPTION_KEY or a key derived from SECRET_KEY). */
  secretBox: SecretBox;
  /** bcrypt in a bounded worker pool (BCRYPT_CONCURRENCY). */
  hasher: PasswordHasher;
  /** Salted client-IP hashes for audit rows, sessions and throttling. */
  ipHasher: IpHasher;
  sessions: SessionsRepository;
  /** Revoked session ids, refreshed from the database every 2 s; checked on every authenticated request. */
  revocations: RevocationList;
  throttle: LoginThrottle;
  /** Per-workspace provider keys, sealed at rest (settings/provider-keys.service.ts). */
  providerKeys: ProviderKeysService;
  authRepo: AuthRepository;
  auth: AuthService;
  users: UsersRepository;
  usersService: UsersService;
  audit: AuditRepository;
  avatars: AvatarsRepository;
  avatarsService: AvatarsService;
  videosRepo: VideosRepository;
  videoJobs: VideoJobsRepository;
  videosService: VideosService;
  /** Watch page, recipients, events, analytics and notifications (see tracking/tracking.wiring.ts). */
  watch: Tracking['watch'];
  thumbs: Tracking['thumbs'];
  tracking: Tracking['tracking'];
  recipients: Tracking['recipients'];
  analytics: Tracking['analytics'];
  notifications: Tracking['notifications'];
  /** Workspace branding for renders (poster and GIF), cached (see watch/branding.ts). */
  branding: Tracking['branding'];
  /** Recordings, TTS engines (resolveSpeech) and ElevenLabs voice cloning (see providers/providers.wiring.ts). */
  recordings: Providers['recordings'];
  speech: Providers['speech'];
  /** Renderers by name: static, photo, heygen, remote (see render/render.wiring.ts). */
  renderers: Rendering['renderers'];
  voiceCloner: Providers['voiceCloner'];
  /** Email summaries and video scripts, LLM with offline fallback (see emails/emails-ai.wiring.ts). */
  emailAi: EmailAi['emailAi'];
  /** Microsoft Entra ID sign-in (see auth/entra.wiring.ts). */
  entra: Entra['entra'];
  entraRepo: Entra['entraRepo'];
  /** Email sending, outbox, unsubscribe, SendGrid events (see emails/send.wiring.ts); outgoing webhooks (webhooks/webhooks.wiring.ts). */
  mailer: EmailSend['mailer'];
  emailSend: EmailSend['emailSend'];
  emailMessages: EmailSend['emailMessages'];
  unsubscribe: EmailSend['unsubscribe'];
  sendgridEvents: EmailSend['sendgridEvents'];
  webhooks: ReturnType<typeof createWebhooks>['webhooks'];
  /** Contacts, lists and memberships; templates; the pronunciation lexicon (issue 9). */
  contactsRepo: Contacts['contactsRepo'];
  contacts: Contacts['contacts'];
  contactImport: Contacts['contactImport'];
  pronunciationsRepo: Contacts['pronunciationsRepo'];
  pronunciations: Contacts['pronunciations'];
  templatesRepo: Templates['templatesRepo'];
  templates: Templates['templates'];
  /** Workspace settings (branding, tracking privacy, notification defaults) and the portal's dashboard. */
  settings: SettingsService;
  overview: OverviewService;
  /** Campaigns: lifecycle, rendering, sending, A/B, analytics (see campaigns/campaigns.wiring.ts). */
  campaigns: Campaigns['campaigns'];
  campaignsRepo: Campaigns['campaignsRepo'];
  campaignJobs: Campaigns['campaignJobs'];
  campaignRendering: Campaigns['campaignRendering'];
  campaignSender: Campaigns['campaignSender'];
  campaignAb: Campaigns['campaignAb'];
  campaignAnalytics: Campaigns['campaignAnalytics'];
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Override the database location (tests pass 'memory://' or a PostgreSQL URL). */
  databaseUrl?: string;
  pgliteDir?: string;
  storage?: Storage;
  /** How webhook registration resolves host names (default: the system resolver). */
  resolveHost?: HostResolver;
  /** The clock of the login throttle (tests move it forward instead of waiting). */
  now?: () => number;
}

const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Opens the database, migrates it and wires adapters and services. Does not start the queue. */
export async function createContainer(config: Config, logger: Logger, opts: ContainerOptions = {}): Promise<Container> {
  const url = opts.databaseUrl ?? config.DATABASE_URL;
  const database = await openDatabase(
    url ? { url, prepare: config.DATABASE_PREPARE } : { dataDir: opts.pgliteDir ?? path.join(config.DATA_DIR, 'pglite') },
  );
  const db = database.db;
  await migrateToLatest(db);

  const storage = opts.storage ?? createStorage(config);
  const queue = new JobQueue(database, logger.child({ module: 'queue' }), {
    retryLimit: 3,
    retryDelaySeconds: config.JOB_RETRY_DELAY_SECONDS,
    expireInSeconds: config.JOB_EXPIRE_SECONDS,
    maintenanceIntervalSeconds: config.JOB_MAINTENANCE_SECONDS,
  });
  const tokens = new TokenService(config.SECRET_KEY, config.ACCESS_TOKEN_MINUTES * 60);
  const secretBox = new SecretBox(keyRing(config));
  const hasher = new PasswordHasher(config.BCRYPT_COST, config.BCRYPT_CONCURRENCY);
  const ipHasher = new IpHasher(config.SECRET_KEY);
  const audit = new AuditRepository(db);
  const authRepo = new AuthRepository(db);
  const users = new UsersRepository(db);
  const sessions = new SessionsRepository(db);
  const revocations = new RevocationList(sessions, config.ACCESS_TOKEN_MINUTES * 60_000, logger.child({ module: 'auth' }));
  const throttle = new LoginThrottle(new ThrottleRepository(db), config.SECRET_KEY, opts.now);
  const auth = new AuthService({ repo: authRepo, users, sessions, revocations, throttle, audit, hasher, tokens, refreshTtlDays: config.REFRESH_TOKEN_DAYS });
  const usersService = new UsersService(users, authRepo, hasher, audit, auth, sessions, throttle);
  const avatars = new AvatarsRepository(db);
  const ffprobe = resolveBinaries({ FFMPEG_PATH: config.FFMPEG_PATH, FFPROBE_PATH: config.FFPROBE_PATH }).ffprobe ?? 'ffprobe';
  const avatarsService = new AvatarsService(avatars, storage, queue, audit, ffprobe, logger.child({ module: 'avatars' }));
  const videosRepo = new VideosRepository(db);
  const videosService = new VideosService(videosRepo, queue, storage, audit, config, logger.child({ module: 'videos' }));
  const tracking = createTracking(db, storage, config, logger.child({ module: 'tracking' }));
  // The watch page's slug cache forgets a video at once when this process finishes or deletes it (others: within its TTL).
  videosService.onVideoFinished((v) => tracking.watch.invalidateVideo(v.id));
  videosService.onVideoRemoved((id) => tracking.watch.invalidateVideo(id));
  // Workspace provider keys: the TTS and LLM clients ask it per tenant (hooks is read only when a rotation runs).
  const providerKeys = new ProviderKeysService(new ProviderKeysRepository(db), secretBox, audit, config, opts.resolveHost, (t) => hooks.webhooks.resealSecrets(t));
  const providers = createProviders(db, storage, audit, config, logger, providerKeys);
  const hooks = createWebhooks({ db, queue, config, log: logger.child({ module: 'webhooks' }), trackingHooks: tracking.tracking.hooks, videos: videosService, box: secretBox, resolveHost: opts.resolveHost, audit });
  // Signing secrets stored in clear before 0008_security are sealed now (the migration has no key).
  const sealed = await hooks.webhooks.sealLegacySecrets();
  if (sealed) logger.info({ sealed }, 'encrypted webhook signing secrets stored in clear');
  const email = createEmailSend({ db, config, log: logger, recipients: tracking.recipients, events: hooks.webhooks });
  // First-view emails to the sender go through the real mail driver; the outbox driver keeps only campaign
  // mail, so with it the in-app notification is the whole notice.
  if (config.MAIL_DRIVER !== 'outbox') {
    tracking.notifications.useMailer({
      send: async (m) => {
        const id = randomUUID();
        await email.mailer.send({
          from: config.MAIL_FROM,
          to: { email: m.to, name: null },
          subject: m.subject,
          text: m.text,
          html: `<p>${escapeHtml(m.text)}</p>`,
          headers: { 'X-MVS-Notification': id },
          attribution: { tenant_id: '', video_id: '', recipient_id: '', message_id: id },
        });
      },
    });
  }

  const contacts = createContacts({ db, audit, logger, dataDir: config.DATA_DIR, speech: providers.speech });
  const templates = createTemplates({ db, contacts: contacts.contactsRepo, speech: providers.speech, audit });
  // The built-in library in every tenant, at its current version (new tenants get it on first use).
  await templates.templates.ensureAll();

  return {
    config,
    logger,
    database,
    db,
    storage,
    queue,
    tokens,
    secretBox,
    hasher,
    ipHasher,
    sessions,
    revocations,
    throttle,
    providerKeys,
    authRepo,
    auth,
    users,
    usersService,
    audit,
    avatars,
    avatarsService,
    videosRepo,
    videoJobs: new VideoJobsRepository(db),
    videosService,
    ...tracking,
    ...providers,
    ...createRendering({ config, db, storage, speech: providers.speech, logger }),
    ...createEmailAi(config, logger, providerKeys),
    ...createEntra(config, db, { authRepo, auth, audit }),
    ...hooks,
    ...email,
    ...contacts,
    ...templates,
    ...createCampaigns({
      db, config, log: logger, queue, audit, events: hooks.webhooks, contacts: contacts.contactsRepo, templates: templates.templatesRepo, videosRepo, videos: videosService,
      mailer: email.mailer, recipients: tracking.recipients, unsubscribeUrl: (t, r) => email.emailSend.unsubscribeUrl(t, r),
      videoRemoved: (id) => tracking.watch.invalidateVideo(id),
    }),
    settings: new SettingsService(new SettingsRepository(db), storage, audit, logger.child({ module: 'settings' }), () => {
      tracking.watch.invalidate();
      tracking.branding.invalidate();
    }),
    overview: new OverviewService(new OverviewRepository(db), storage),
    async close() {
      await tracking.tracking.flush().catch(() => {});
      await email.mailer.close?.().catch(() => {});
      await queue.stop({ graceful: false, timeout: 5000 }).catch(() => {});
      await hasher.close();
      await database.close();
    },
  };
}

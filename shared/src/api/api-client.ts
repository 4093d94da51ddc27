import type {
  AuditEntry,
  Campaign,
  CampaignAnalytics,
  CampaignRecipient,
  CampaignStatus,
  Contact,
  ContactList,
  CreateCampaignRequest,
  UpdateCampaignRequest,
  ImportReport,
  RecipientState,
  Template,
  TemplatePreview,
  TemplateUseCase,
  AuthConfig,
  Avatar,
  CreateVideoRequest,
  DraftScriptRequest,
  DraftScriptResponse,
  Me,
  MouthShapes,
  Notification,
  Overview,
  Page,
  ProviderKey,
  ProviderName,
  Recipient,
  Role,
  SummarizeRequest,
  SummarizeResponse,
  TenantSettings,
  UpdateSettingsRequest,
  User,
  Video,
  VideoAnalytics,
  VideoStatus,
  VoiceSettings,
  Webhook,
  WebhookDelivery,
  WebhookEventName,
  WebhookWithSecret,
} from './api-types';
import type { Session, TokenPair } from './session';

/** An API failure with the server's error code, message and details (or a network failure: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Options {
  body?: unknown;
  /** A multipart body (uploads): sent as is, the browser sets the boundary. */
  form?: FormData;
  auth?: boolean;
  signal?: AbortSignal;
  accept?: string;
  headers?: Record<string, string>;
}

const enc = encodeURIComponent;
const qs = (q: Record<string, string | number | boolean | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
const fileForm = (field: string, file: Blob, name?: string) => {
  const f = new FormData();
  f.append(field, file, name ?? (file instanceof File ? file.name : field));
  return f;
};

/**
 * Typed client for the Mail Video Service API, shared by the Outlook add-in and the web portal. Refreshes the
 * access token once on 401; when that fails too, tells its signed-out listeners (the portal returns to sign-in).
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;
  private readonly signedOutListeners = new Set<() => void>();

  constructor(
    private readonly baseUrl: string,
    readonly session: Session,
  ) {}

  url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  /** Called when a request needed a session and none could be had (expired or revoked); returns an unsubscribe. */
  onSignedOut(listener: () => void): () => void {
    this.signedOutListeners.add(listener);
    return () => this.signedOutListeners.delete(listener);
  }

  async login(email: string, password: string): Promise<void> {
    await this.session.save(await this.call<TokenPair>('POST', '/api/v1/auth/login', { body: { username: email, password }, auth: false }));
  }

  async loginWithEntra(token: string): Promise<void> {
    await this.session.save(await this.call<TokenPair>('POST', '/api/v1/auth/entra', { body: { token }, auth: false }));
  }

  async logout(): Promise<void> {
    const refresh = this.session.refreshToken();
    const access = this.session.accessToken();
    await this.session.clear();
    if (refresh) {
      await this.call('POST', '/api/v1/auth/logout', { body: { refresh_token: refresh }, auth: false, headers: access ? { authorization: `Bearer ${access}` } : {} }).catch(() => undefined);
    }
  }

  authConfig = () => this.call<AuthConfig>('GET', '/api/v1/auth/config', { auth: false });
  me = () => this.call<Me>('GET', '/api/v1/auth/me');

  // Email AI (add-in)
  summarize = (body: Partial<SummarizeRequest> & { body: string }) => this.call<SummarizeResponse>('POST', '/api/v1/emails/summarize', { body });
  draftScript = (body: Partial<DraftScriptRequest> & { body: string }) =>
    this.call<DraftScriptResponse>('POST', '/api/v1/emails/draft-script', { body });

  // Avatars
  avatars = () => this.call<Page<Avatar>>('GET', '/api/v1/avatars?page_size=100');
  avatar = (id: string) => this.call<Avatar>('GET', `/api/v1/avatars/${enc(id)}`);
  createAvatar = (body: { name: string; language?: 'en' | 'vi'; voice_settings?: VoiceSettings }) => this.call<Avatar>('POST', '/api/v1/avatars', { body });
  updateAvatar = (id: string, body: { name?: string; language?: 'en' | 'vi'; voice_settings?: VoiceSettings }) => this.call<Avatar>('PATCH', `/api/v1/avatars/${enc(id)}`, { body });
  deleteAvatar = (id: string) => this.call<void>('DELETE', `/api/v1/avatars/${enc(id)}`);
  uploadPhoto = (id: string, file: Blob, name?: string) => this.call<Avatar>('POST', `/api/v1/avatars/${enc(id)}/upload-photo`, { form: fileForm('photo', file, name) });
  uploadVoice = (id: string, file: Blob, name?: string) => this.call<Avatar>('POST', `/api/v1/avatars/${enc(id)}/upload-voice`, { form: fileForm('voice', file, name) });
  giveConsent = (id: string, statement: string) => this.call<Avatar>('POST', `/api/v1/avatars/${enc(id)}/consent`, { body: { statement, confirmed: true } });
  prepareAvatar = (id: string) => this.call<Avatar>('POST', `/api/v1/avatars/${enc(id)}/generate`);
  mouthShapes = (id: string) => this.call<MouthShapes>('GET', `/api/v1/avatars/${enc(id)}/mouth-shapes`);

  // Videos
  createVideo = (body: CreateVideoRequest) => this.call<Video>('POST', '/api/v1/videos', { body });
  video = (id: string, signal?: AbortSignal) => this.call<Video>('GET', `/api/v1/videos/${enc(id)}`, { signal });
  recentVideos = (pageSize = 5) => this.call<Page<Video>>('GET', `/api/v1/videos?page_size=${pageSize}`);
  videos = (q: { page?: number; page_size?: number; status?: VideoStatus; avatar_id?: string; q?: string } = {}, signal?: AbortSignal) =>
    this.call<Page<Video>>('GET', `/api/v1/videos${qs(q)}`, { signal });
  cancelVideo = (id: string) => this.call<Video>('POST', `/api/v1/videos/${enc(id)}/cancel`);
  deleteVideo = (id: string) => this.call<void>('DELETE', `/api/v1/videos/${enc(id)}`);
  videoAnalytics = (id: string) => this.call<VideoAnalytics>('GET', `/api/v1/videos/${enc(id)}/analytics`);
  videoAnalyticsCsv = (id: string, by: 'recipient' | 'day' = 'recipient') => this.text('GET', `/api/v1/videos/${enc(id)}/analytics.csv${qs({ by })}`, 'text/csv');
  recipients = (id: string) => this.call<{ items: Recipient[] }>('GET', `/api/v1/videos/${enc(id)}/recipients`);
  addRecipient = (id: string, body: { email: string; name?: string }) => this.call<Recipient>('POST', `/api/v1/videos/${enc(id)}/recipients`, { body });

  // Dashboard and notifications
  overview = (days: 7 | 30 | 90, signal?: AbortSignal) => this.call<Overview>('GET', `/api/v1/analytics/overview?days=${days}`, { signal });
  notifications = (limit = 20) => this.call<{ items: Notification[]; unread: number }>('GET', `/api/v1/notifications?limit=${limit}`);
  markNotificationRead = (id: string) => this.call<Notification>('POST', `/api/v1/notifications/${enc(id)}/read`);
  notificationPrefs = () => this.call<{ email_on_first_view: boolean }>('GET', '/api/v1/notifications/settings');
  setNotificationPrefs = (body: { email_on_first_view: boolean }) => this.call<{ email_on_first_view: boolean }>('PUT', '/api/v1/notifications/settings', { body });

  // Team (admin)
  users = (page = 1, pageSize = 100) => this.call<Page<User>>('GET', `/api/v1/users${qs({ page, page_size: pageSize })}`);
  inviteUser = (body: { email: string; full_name?: string; role: Role; password: string }) => this.call<User>('POST', '/api/v1/users', { body });
  updateUser = (id: string, body: { role?: Role; is_active?: boolean; full_name?: string }) => this.call<User>('PATCH', `/api/v1/users/${enc(id)}`, { body });
  deactivateUser = (id: string) => this.call<User>('DELETE', `/api/v1/users/${enc(id)}`);
  signOutEverywhere = (id: string) => this.call<{ sessions_ended: number }>('POST', `/api/v1/users/${enc(id)}/sign-out-everywhere`);

  // Workspace settings (admin writes)
  settings = () => this.call<TenantSettings>('GET', '/api/v1/settings');
  updateSettings = (body: UpdateSettingsRequest) => this.call<TenantSettings>('PATCH', '/api/v1/settings', { body });
  uploadLogo = (file: Blob, name?: string) => this.call<TenantSettings>('POST', '/api/v1/settings/branding/logo', { form: fileForm('logo', file, name) });
  removeLogo = () => this.call<TenantSettings>('DELETE', '/api/v1/settings/branding/logo');
  providerKeys = () => this.call<{ items: ProviderKey[] }>('GET', '/api/v1/settings/provider-keys');
  setProviderKey = (provider: ProviderName, body: { api_key: string; base_url?: string }) => this.call<ProviderKey>('PUT', `/api/v1/settings/provider-keys/${enc(provider)}`, { body });
  deleteProviderKey = (provider: ProviderName) => this.call<void>('DELETE', `/api/v1/settings/provider-keys/${enc(provider)}`);
  rotateProviderKeys = () => this.call<{ rotated: number; key_id: string }>('POST', '/api/v1/settings/provider-keys/rotate');

  // Webhooks (admin)
  webhooks = () => this.call<{ items: Webhook[] }>('GET', '/api/v1/webhooks');
  createWebhook = (body: { url: string; events: WebhookEventName[]; description?: string }) => this.call<WebhookWithSecret>('POST', '/api/v1/webhooks', { body });
  updateWebhook = (id: string, body: { url?: string; events?: WebhookEventName[]; description?: string | null; active?: boolean }) =>
    this.call<Webhook>('PATCH', `/api/v1/webhooks/${enc(id)}`, { body });
  deleteWebhook = (id: string) => this.call<void>('DELETE', `/api/v1/webhooks/${enc(id)}`);
  webhookDeliveries = (id: string) => this.call<{ items: WebhookDelivery[] }>('GET', `/api/v1/webhooks/${enc(id)}/deliveries`);
  testWebhook = (id: string) => this.call<WebhookDelivery>('POST', `/api/v1/webhooks/${enc(id)}/test`);

  // Templates (the library is read-only; a workspace's own templates are edited)
  templates = (q: { use_case?: TemplateUseCase; language?: 'en' | 'vi'; builtin?: boolean } = {}) => this.call<{ items: Template[] }>('GET', `/api/v1/templates${qs(q)}`);
  template = (id: string) => this.call<Template>('GET', `/api/v1/templates/${enc(id)}`);
  createTemplate = (body: { use_case?: TemplateUseCase; name: string; description?: string | null; language: 'en' | 'vi'; script: string; subject: string; body?: string; poster_caption?: string | null }) =>
    this.call<Template>('POST', '/api/v1/templates', { body });
  updateTemplate = (id: string, body: Partial<{ use_case: TemplateUseCase; name: string; description: string | null; language: 'en' | 'vi'; script: string; subject: string; body: string; poster_caption: string | null }>) =>
    this.call<Template>('PATCH', `/api/v1/templates/${enc(id)}`, { body });
  deleteTemplate = (id: string) => this.call<void>('DELETE', `/api/v1/templates/${enc(id)}`);
  duplicateTemplate = (id: string, name?: string) => this.call<Template>('POST', `/api/v1/templates/${enc(id)}/duplicate`, { body: name ? { name } : {} });
  previewTemplate = (id: string, body: { contact_id?: string; values?: Record<string, string> }) => this.call<TemplatePreview>('POST', `/api/v1/templates/${enc(id)}/preview`, { body });

  // Contacts and lists
  lists = () => this.call<Page<ContactList>>('GET', '/api/v1/lists?page_size=100');
  listMembers = (id: string, limit = 5) => this.call<{ items: Contact[]; total: number; next_after: string | null }>('GET', `/api/v1/lists/${enc(id)}/members?limit=${limit}`);
  importContacts = (file: Blob, opts: { list_id?: string; list_name?: string; mapping?: Record<string, string>; name?: string }) => {
    const f = fileForm('file', file, opts.name);
    if (opts.list_id) f.append('list_id', opts.list_id);
    if (opts.list_name) f.append('list_name', opts.list_name);
    if (opts.mapping && Object.keys(opts.mapping).length) f.append('mapping', JSON.stringify(opts.mapping));
    return this.call<ImportReport>('POST', '/api/v1/contacts/import', { form: f });
  };

  // Campaigns
  campaigns = (q: { page?: number; page_size?: number; status?: CampaignStatus } = {}) => this.call<Page<Campaign>>('GET', `/api/v1/campaigns${qs(q)}`);
  campaign = (id: string, signal?: AbortSignal) => this.call<Campaign>('GET', `/api/v1/campaigns/${enc(id)}`, { signal });
  createCampaign = (body: CreateCampaignRequest) => this.call<Campaign>('POST', '/api/v1/campaigns', { body });
  /** Edits a draft (any field of the create body; null clears body_html, poster_caption, cta_label, cta_url). */
  updateCampaign = (id: string, body: UpdateCampaignRequest) => this.call<Campaign>('PATCH', `/api/v1/campaigns/${enc(id)}`, { body });
  /** Deletes a campaign that is not at work, with its videos and their files (409 campaign_in_progress otherwise). */
  deleteCampaign = (id: string) => this.call<void>('DELETE', `/api/v1/campaigns/${enc(id)}`);
  campaignAction = (id: string, verb: 'render' | 'pause' | 'resume' | 'cancel') => this.call<Campaign>('POST', `/api/v1/campaigns/${enc(id)}/${verb}`);
  sendCampaign = (id: string, sendAt?: string) => this.call<Campaign>('POST', `/api/v1/campaigns/${enc(id)}/send`, { body: sendAt ? { send_at: sendAt } : {} });
  approveRecipients = (id: string, recipientIds?: string[]) =>
    this.call<{ approved: number; not_approvable: { id: string; state: string }[]; campaign: Campaign }>('POST', `/api/v1/campaigns/${enc(id)}/approve`, { body: recipientIds ? { recipient_ids: recipientIds } : {} });
  rerenderRecipient = (id: string, rid: string, script?: string) => this.call<CampaignRecipient>('POST', `/api/v1/campaigns/${enc(id)}/recipients/${enc(rid)}/rerender`, { body: script ? { script } : {} });
  campaignRecipients = (id: string, q: { page?: number; page_size?: number; state?: RecipientState[]; sample?: number } = {}) =>
    this.call<Page<CampaignRecipient> & { sample: number | null }>('GET', `/api/v1/campaigns/${enc(id)}/recipients${qs({ ...q, state: q.state?.join(',') })}`);
  campaignAnalytics = (id: string) => this.call<CampaignAnalytics>('GET', `/api/v1/campaigns/${enc(id)}/analytics`);
  campaignCsv = (id: string, which: 'export' | 'analytics') => this.text('GET', `/api/v1/campaigns/${enc(id)}/${which === 'export' ? 'export.csv' : 'analytics.csv'}`, 'text/csv');

  // Audit log (admin)
  audit = (q: { page?: number; page_size?: number; action?: string; user_id?: string } = {}) => this.call<Page<AuditEntry>>('GET', `/api/v1/audit${qs(q)}`);

  /** Opens the progress stream of a video (SSE) with the Bearer header; the caller reads the body. */
  async openEvents(id: string, signal: AbortSignal): Promise<Response> {
    return this.stream(`/api/v1/videos/${enc(id)}/events`, signal);
  }

  /** Opens any SSE stream with the Bearer header (EventSource cannot send one); `lastEventId` resumes it. */
  async stream(path: string, signal: AbortSignal, lastEventId?: string): Promise<Response> {
    return this.raw('GET', path, { signal, accept: 'text/event-stream', headers: lastEventId ? { 'last-event-id': lastEventId } : {} });
  }

  async call<T>(method: Method, path: string, opts: Options = {}): Promise<T> {
    const res = await this.raw(method, path, opts);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** A text answer (CSV exports). */
  async text(method: Method, path: string, accept: string): Promise<string> {
    return (await this.raw(method, path, { accept })).text();
  }

  private async raw(method: Method, path: string, opts: Options): Promise<Response> {
    const auth = opts.auth !== false;
    if (auth && !this.session.accessToken()) await this.refresh();
    let res = await this.send(method, path, opts, auth);
    if (res.status === 401 && auth && (await this.refresh())) res = await this.send(method, path, opts, auth);
    if (res.status === 401 && auth) for (const l of this.signedOutListeners) l();
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  private async send(method: Method, path: string, opts: Options, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const token = this.session.accessToken();
    if (auth && token) headers.authorization = `Bearer ${token}`;
    try {
      return await fetch(this.url(path), {
        method,
        headers,
        body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network_error', e instanceof Error ? e.message : String(e));
    }
  }

  /** Trades the refresh token for new tokens (one refresh at a time); false when signed out. */
  private refresh(): Promise<boolean> {
    const token = this.session.refreshToken();
    if (!token) return Promise.resolve(false);
    this.refreshing ??= (async () => {
      try {
        const res = await this.send('POST', '/api/v1/auth/refresh', { body: { refresh_token: token } }, false);
        if (!res.ok) {
          // Only a refusal ends the session; a network failure leaves it for the next try.
          if (res.status === 401 || res.status === 403 || res.status === 422) await this.session.clear();
          return false;
        }
        await this.session.save((await res.json()) as TokenPair);
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string; requestId?: string; details?: unknown } | null;
  return new ApiError(res.status, body?.code ?? `http_${res.status}`, body?.message ?? res.statusText, body?.requestId, body?.details);
}

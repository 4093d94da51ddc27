import type { AuthConfig, Avatar, CreateVideoRequest, DraftScriptRequest, DraftScriptResponse, Page, SummarizeRequest, SummarizeResponse, Video } from './api-types';
import type { Session, TokenPair } from './session';

/** An API failure with the server's error code and message (or a network failure: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Options {
  body?: unknown;
  auth?: boolean;
  signal?: AbortSignal;
  accept?: string;
}

/** Typed client for the Mail Video Service API; refreshes the access token once on 401. */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly baseUrl: string,
    readonly session: Session,
  ) {}

  url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  async login(email: string, password: string): Promise<void> {
    await this.session.save(await this.call<TokenPair>('POST', '/api/v1/auth/login', { body: { username: email, password }, auth: false }));
  }

  async loginWithEntra(token: string): Promise<void> {
    await this.session.save(await this.call<TokenPair>('POST', '/api/v1/auth/entra', { body: { token }, auth: false }));
  }

  async logout(): Promise<void> {
    const refresh = this.session.refreshToken();
    await this.session.clear();
    if (refresh) await this.call('POST', '/api/v1/auth/logout', { body: { refresh_token: refresh }, auth: false }).catch(() => undefined);
  }

  authConfig = () => this.call<AuthConfig>('GET', '/api/v1/auth/config', { auth: false });
  me = () => this.call<{ user: { email: string; full_name: string | null }; tenant: { name: string } }>('GET', '/api/v1/auth/me');
  summarize = (body: Partial<SummarizeRequest> & { body: string }) => this.call<SummarizeResponse>('POST', '/api/v1/emails/summarize', { body });
  draftScript = (body: Partial<DraftScriptRequest> & { body: string }) =>
    this.call<DraftScriptResponse>('POST', '/api/v1/emails/draft-script', { body });
  avatars = () => this.call<Page<Avatar>>('GET', '/api/v1/avatars?page_size=100');
  createVideo = (body: CreateVideoRequest) => this.call<Video>('POST', '/api/v1/videos', { body });
  video = (id: string, signal?: AbortSignal) => this.call<Video>('GET', `/api/v1/videos/${encodeURIComponent(id)}`, { signal });
  recentVideos = (pageSize = 5) => this.call<Page<Video>>('GET', `/api/v1/videos?page_size=${pageSize}`);

  /** Opens the progress stream of a video (SSE) with the Bearer header; the caller reads the body. */
  async openEvents(id: string, signal: AbortSignal): Promise<Response> {
    return this.raw('GET', `/api/v1/videos/${encodeURIComponent(id)}/events`, { signal, accept: 'text/event-stream' });
  }

  async call<T>(method: Method, path: string, opts: Options = {}): Promise<T> {
    const res = await this.raw(method, path, opts);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  private async raw(method: Method, path: string, opts: Options): Promise<Response> {
    const auth = opts.auth !== false;
    if (auth && !this.session.accessToken()) await this.refresh();
    let res = await this.send(method, path, opts, auth);
    if (res.status === 401 && auth && (await this.refresh())) res = await this.send(method, path, opts, auth);
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  private async send(method: Method, path: string, opts: Options, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const token = this.session.accessToken();
    if (auth && token) headers.authorization = `Bearer ${token}`;
    try {
      return await fetch(this.url(path), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
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
          await this.session.clear();
          return false;
        }
        await this.session.save((await res.json()) as TokenPair);
        return true;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string; requestId?: string } | null;
  return new ApiError(res.status, body?.code ?? `http_${res.status}`, body?.message ?? res.statusText, body?.requestId);
}

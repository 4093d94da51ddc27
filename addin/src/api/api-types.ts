// Type-only imports: the shared zod schemas stay out of the task-pane bundle.
export type { Video, CreateVideoRequest, VideoProgressEvent } from '@mvs/shared/schemas/videos';
export type { Avatar } from '@mvs/shared/schemas/avatars';
export type {
  DraftScriptRequest,
  DraftScriptResponse,
  SummarizeRequest,
  SummarizeResponse,
  EmailAddress,
  Tone,
  ScriptLength,
} from '@mvs/shared/schemas/emails';

/** GET /api/v1/auth/config: what sign-in methods this server offers. */
export interface AuthConfig {
  entra: { client_id: string; authority: string; scopes: string[] } | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

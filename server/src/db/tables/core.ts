import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Json<T extends object | null> = JSONColumnType<T, T | string, T | string>;
/** A JSON column with a database default: optional on insert. (Generated<Json<T>> would nest two ColumnTypes and select as the wrapper.) */
export type JsonDefault<T extends object> = ColumnType<T, T | string | undefined, T | string>;

export interface TenantsTable {
  id: Generated<string>;
  name: string;
  domain: string;
  /** Per-tenant settings (privacy switches, Entra app, provider choices). */
  settings: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  tenant_id: string;
  email: string;
  password_hash: string | null;
  full_name: string | null;
  role: 'admin' | 'user' | 'viewer';
  is_active: Generated<boolean>;
  entra_oid: string | null;
  locale: Generated<string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface VoiceSettings {
  engine?: 'espeak' | 'openai' | 'elevenlabs';
  voice?: string;
  rate?: number;
  pitch?: number;
}

export interface AvatarsTable {
  id: Generated<string>;
  tenant_id: string;
  owner_id: string;
  name: string;
  /** draft (no photo) → processing → ready | failed */
  status: Generated<'draft' | 'processing' | 'ready' | 'failed'>;
  error: string | null;
  error_code: string | null;
  photo_key: string | null;
  photo_width: number | null;
  photo_height: number | null;
  photo_mime: string | null;
  voice_key: string | null;
  voice_mime: string | null;
  voice_duration_sec: number | null;
  voice_settings: JsonDefault<VoiceSettings>;
  language: Generated<string>;
  /** Likeness consent: who confirmed, when, and the statement shown. Required before the first render. */
  consent: Json<{ by: string; at: string; statement: string }> | null;
  /** Prepared render assets (crop, landmarks, sprite keys); owned by the render pipeline. */
  prepared: Json<Record<string, unknown>> | null;
  prepared_at: Timestamp | null;
  /** External provider ids, e.g. heygen_talking_photo_id, elevenlabs_voice_id. */
  provider_ids: JsonDefault<Record<string, string>>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type VideoStatus = 'queued' | 'rendering' | 'completed' | 'failed' | 'canceled';

export interface VideosTable {
  id: Generated<string>;
  tenant_id: string;
  owner_id: string;
  avatar_id: string;
  title: string | null;
  script: string;
  language: string;
  renderer: string;
  /** portrait 720x1280 | landscape 1280x720 | square 1080x1080 */
  format: Generated<string>;
  status: Generated<VideoStatus>;
  progress: Generated<number>;
  stage: string | null;
  error: string | null;
  error_code: string | null;
  /** Render options: tts engine, voice, recorded audio key, caption, recipient name. */
  options: JsonDefault<Record<string, unknown>>;
  video_key: string | null;
  poster_key: string | null;
  gif_key: string | null;
  duration_sec: number | null;
  width: number | null;
  height: number | null;
  video_bytes: number | null;
  poster_bytes: number | null;
  gif_bytes: number | null;
  /** Public watch-page slug (≥128 bits, base64url). */
  slug: string;
  cta_label: string | null;
  cta_url: string | null;
  attempts: Generated<number>;
  /** Set for a campaign recipient's video (migration 0010); the add-in's video list leaves those out. */
  campaign_id: Generated<string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json<Record<string, unknown>> | null;
  /** Salted hash of the client's IP (as tracking keeps it); null for actions without a request. */
  ip_hash: string | null;
  created_at: CreatedAt;
}

export interface CoreTables {
  tenants: TenantsTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  avatars: AvatarsTable;
  videos: VideosTable;
  audit_log: AuditLogTable;
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { keyRing, SecretBoxError } from './security/secret-box';

/**
 * Secrets that were ever published (the constant earlier versions shipped in this file). They are refused
 * everywhere: a token signed with one of them must never verify.
 */
export const PUBLIC_SECRET_KEYS: readonly string[] = ['dev-secret-change-me-0123456789abcdef'];
/** Where a development install keeps the SECRET_KEY it generated on first start (mode 0600). */
export const SECRET_KEY_FILE = 'secret-key';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_PREPARE: bool.default(true),
  /** Unset outside production: generated once and kept in DATA_DIR/secret-key (see devSecretKey). */
  SECRET_KEY: z.string().optional(),
  /** AES-256-GCM key for secrets at rest (64 hex or base64); unset = derived from SECRET_KEY with HKDF. */
  ENCRYPTION_KEY: z.string().optional(),
  /** Retired encryption keys, comma-separated, kept to open values sealed before a rotation. */
  ENCRYPTION_KEYS_OLD: z.string().optional(),
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  CORS_ORIGINS: z.string().default('https://localhost:3000,http://localhost:3000'),
  ACCESS_TOKEN_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  REFRESH_TOKEN_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  /** bcrypt hashes at once (worker threads); the rest queue, so a login flood leaves the other cores to renders. */
  BCRYPT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  S3_ENDPOINT: z.string().optional(),
  S3_PORT: z.coerce.number().int().optional(),
  S3_USE_SSL: bool.default(false),
  S3_ACCESS_KEY: z.string().optional(),
  S3_SECRET_KEY: z.string().optional(),
  S3_BUCKET: z.string().default('mail-video'),
  S3_REGION: z.string().default('us-east-1'),
  /** Browser-reachable base URL of the S3 server for presigned links, when it differs from S3_ENDPOINT. */
  S3_PUBLIC_URL: z.string().url().optional(),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  ESPEAK_PATH: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: bool.default(true),
  /** With SEED_DEMO: a few demo videos with viewers (human and machine events), so the portal's dashboard has numbers. Unset: on, except under NODE_ENV=test (tests count their own videos and jobs). */
  SEED_DEMO_ACTIVITY: bool.optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /** A job active longer than this is aborted and retried (a hung job; a dead worker is caught by its heartbeats). */
  JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** First retry delay; doubles per attempt (pg-boss backoff, with jitter). */
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  /** How often pg-boss checks for expired jobs (shared across processes). */
  JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Running jobs refresh their heartbeat this often; every worker sweeps for stopped heartbeats as often. */
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /** A running job whose heartbeat is older than this is requeued (its worker died): crash recovery within ~45 s. */
  JOB_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  /** SIGTERM: running jobs get this long to finish, then are aborted and requeued. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(20),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  /** Summaries/scripts: give the chat model this long, then answer with the offline engine. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
  OPENAI_TTS_MODEL: z.string().default('gpt-4o-mini-tts'),
  ELEVENLABS_API_KEY: z.string().optional(),
  ELEVENLABS_BASE_URL: z.string().url().default('https://api.elevenlabs.io'),
  // TTS (providers): default engine when neither the video nor the avatar picks one; per-engine settings.
  TTS_ENGINE: z.enum(['espeak', 'openai', 'elevenlabs']).default('espeak'),
  OPENAI_TTS_BASE_URL: z.string().url().optional(),
  OPENAI_TTS_API_KEY: z.string().optional(),
  OPENAI_TTS_VOICE: z.string().default('alloy'),
  OPENAI_TTS_FORMAT: z.enum(['pcm', 'wav']).default('pcm'),
  ELEVENLABS_MODEL_ID: z.string().default('eleven_multilingual_v2'),
  ELEVENLABS_VOICE_ID: z.string().optional(),
  ELEVENLABS_OUTPUT_FORMAT: z.string().regex(/^(mp3|pcm)_\d+(_\d+)?$/).default('mp3_44100_128'),
  HEYGEN_API_KEY: z.string().optional(),
  HEYGEN_BASE_URL: z.string().url().default('https://api.heygen.com'),
  HEYGEN_UPLOAD_URL: z.string().url().default('https://upload.heygen.com'),
  REMOTE_RENDERER_URL: z.string().url().optional(),
  REMOTE_RENDERER_TOKEN: z.string().optional(),
  /** Test hook: the photo renderer plans a frozen mouth on the first attempt or on every attempt (quality gate tests). */
  RENDER_TEST_FROZEN_MOUTH: z.enum(['off', 'first', 'always']).default('off'),
  // Watch/tracking: trust X-Forwarded-For (only behind your own reverse proxy) and the per-address beacon limit.
  TRUST_PROXY: bool.default(false),
  TRACK_IP_BURST: z.coerce.number().int().min(1).default(600),
  TRACK_IP_PER_SECOND: z.coerce.number().min(0.1).default(100),
  /** Proxy/scanner IP range file to classify with instead of the bundled one (written by `npm run refresh:ip-ranges -- --out FILE`). */
  IP_RANGES_FILE: z.string().optional(),
  SMTP_URL: z.string().optional(),
  /** Email transport: outbox (stored only, listed by GET /api/v1/emails/outbox), smtp (SMTP_URL) or sendgrid. */
  MAIL_DRIVER: z.enum(['outbox', 'smtp', 'sendgrid']).default('outbox'),
  /** Outgoing webhooks: first retry delay (doubles per attempt, with jitter); deliveries give up after 24 h. */
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  MAIL_FROM: z.string().default('Mail Video <no-reply@localhost>'),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_BASE_URL: z.string().url().default('https://api.sendgrid.com'),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().optional(),
  // Campaign mail: throttle per driver (messages per minute, shared by all workers), daily cap per tenant (0 = none),
  // messages in flight per worker (also the SMTP pool size), retries of a failed message (delay doubles each time).
  MAIL_RATE_SMTP_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  MAIL_RATE_SENDGRID_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  MAIL_RATE_OUTBOX_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
  MAIL_DAILY_CAP: z.coerce.number().int().min(0).default(10_000),
  MAIL_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  MAIL_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(4),
  /**
   * Campaign renders at once per worker, in their own queue beside the interactive renders' WORKER_CONCURRENCY.
   * Default: one per CPU core, at most 4 (a contact's render is a chain of TTS, encode, check and join, so one
   * at a time leaves a core of a 2-core machine idle half the time).
   */
  CAMPAIGN_RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(Math.min(4, Math.max(1, os.availableParallelism()))),
  ENTRA_CLIENT_ID: z.string().optional(),
  ENTRA_TENANT_ID: z.string().optional(),
  ENTRA_ISSUER: z.string().optional(),
  ENTRA_JWKS_URL: z.string().url().optional(),
});

/** Every variable the server reads (documented in .env.example and the README; a test checks). */
export const ENV_KEYS = Object.keys(EnvSchema.shape);

export type Config = Readonly<
  Omit<z.infer<typeof EnvSchema>, 'DATA_DIR' | 'SECRET_KEY'> & { DATA_DIR: string; SECRET_KEY: string; isProduction: boolean }
>;

export class ConfigError extends Error {}

/** Parses the environment once; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const isProduction = c.NODE_ENV === 'production';
  const dataDir = path.resolve(c.DATA_DIR);
  if (c.SECRET_KEY !== undefined && PUBLIC_SECRET_KEYS.includes(c.SECRET_KEY)) {
    throw new ConfigError('SECRET_KEY is a value published in the source code; set a random one (openssl rand -hex 32) or leave it unset outside production');
  }
  if (isProduction && (c.SECRET_KEY === undefined || c.SECRET_KEY.length < 32)) {
    throw new ConfigError(
      'SECRET_KEY must be set to a random value of at least 32 characters when NODE_ENV=production ' +
        '(generate one with: openssl rand -hex 32)',
    );
  }
  if (c.JOB_HEARTBEAT_TIMEOUT_SECONDS < 2 * c.JOB_HEARTBEAT_SECONDS) {
    throw new ConfigError(
      `JOB_HEARTBEAT_TIMEOUT_SECONDS (${c.JOB_HEARTBEAT_TIMEOUT_SECONDS}) must be at least twice JOB_HEARTBEAT_SECONDS ` +
        `(${c.JOB_HEARTBEAT_SECONDS}), or a live worker that misses one beat has its jobs taken away`,
    );
  }
  const secret = c.SECRET_KEY ?? (c.NODE_ENV === 'test' ? testSecretKey(dataDir) : devSecretKey(dataDir));
  try {
    keyRing({ ENCRYPTION_KEY: c.ENCRYPTION_KEY, ENCRYPTION_KEYS_OLD: c.ENCRYPTION_KEYS_OLD, SECRET_KEY: secret });
  } catch (e) {
    if (e instanceof SecretBoxError) throw new ConfigError(`Invalid environment:\n  ${e.message}`);
    throw e;
  }
  return Object.freeze({ ...c, SECRET_KEY: secret, DATA_DIR: dataDir, isProduction });
}

/**
 * A development install's own SECRET_KEY: read from DATA_DIR/secret-key, or generated there (256 random bits,
 * mode 0600) on first start. Processes sharing DATA_DIR (api + worker) share it; `wx` makes the first writer win.
 */
export function devSecretKey(dataDir: string): string {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  const read = () => fs.readFileSync(file, 'utf8').trim();
  try {
    return checked(read(), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return checked(read(), file);
}

function checked(key: string, file: string): string {
  if (key.length < 32) throw new ConfigError(`${file} holds a SECRET_KEY shorter than 32 characters; delete the file to generate a new one`);
  return key;
}

/** Tests without SECRET_KEY: a random key per DATA_DIR for this process (nothing written to disk). */
const testKeys = new Map<string, string>();
function testSecretKey(dataDir: string): string {
  let k = testKeys.get(dataDir);
  if (!k) testKeys.set(dataDir, (k = randomBytes(32).toString('hex')));
  return k;
}

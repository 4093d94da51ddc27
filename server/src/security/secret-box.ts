import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/*
 * Secrets at rest (webhook signing secrets, provider API keys): AES-256-GCM with a random 96-bit nonce per
 * value, and "additional authenticated data" naming where the value lives (e.g. `webhook:<id>`), so a
 * ciphertext copied into another row or tenant fails to open. A stored value reads
 *
 *     mvs1:<key id>:<base64url(nonce ‖ ciphertext ‖ 16-byte tag)>
 *
 * The key id (8 hex characters, a keyed fingerprint that reveals nothing about the key) says which key of the
 * ring sealed it. The current key seals; older keys only open, until `npm run rotate-keys` has re-sealed
 * everything under the current one.
 *
 * Keys come from ENCRYPTION_KEY (32 bytes: 64 hex characters or base64), or, when it is unset, from
 * SECRET_KEY through HKDF-SHA256. ENCRYPTION_KEYS_OLD lists retired keys, comma-separated, in the same
 * form; an entry `secret:<old SECRET_KEY>` stands for the key that old SECRET_KEY derived.
 */

const PREFIX = 'mvs1:';
const NONCE = 12;
const TAG = 16;

export class SecretBoxError extends Error {}

/** One AES-256 key and its id. */
export interface BoxKey {
  id: string;
  key: Buffer;
}

/** The key id of a 32-byte key: a keyed fingerprint, stable across processes. */
export const keyIdOf = (key: Buffer) => createHmac('sha256', key).update('mvs secret-box key id').digest('hex').slice(0, 8);

/** The key SECRET_KEY stands for when ENCRYPTION_KEY is unset. */
export const deriveFromSecret = (secret: string) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('mail-video-service'), Buffer.from('secret-box v1'), 32));

/** Parses a key as written in ENCRYPTION_KEY / ENCRYPTION_KEYS_OLD: 64 hex characters, base64 of 32 bytes, or `secret:<SECRET_KEY>`. */
export function parseKey(text: string, what: string): Buffer {
  const t = text.trim();
  if (t.startsWith('secret:')) return deriveFromSecret(t.slice('secret:'.length));
  if (/^[0-9a-f]{64}$/i.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  if (b.length === 32 && /^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(t)) return b;
  throw new SecretBoxError(`${what} must be 32 bytes written as 64 hex characters or base64 (generate one with: openssl rand -hex 32)`);
}

/** The key ring: `current` seals, every key opens. */
export function keyRing(o: { ENCRYPTION_KEY?: string; ENCRYPTION_KEYS_OLD?: string; SECRET_KEY: string }): { current: BoxKey; all: BoxKey[] } {
  const currentKey = o.ENCRYPTION_KEY ? parseKey(o.ENCRYPTION_KEY, 'ENCRYPTION_KEY') : deriveFromSecret(o.SECRET_KEY);
  const current = { id: keyIdOf(currentKey), key: currentKey };
  const old = (o.ENCRYPTION_KEYS_OLD ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => parseKey(s, `ENCRYPTION_KEYS_OLD entry ${i + 1}`))
    .map((key) => ({ id: keyIdOf(key), key }));
  const all = [current, ...old.filter((k) => k.id !== current.id)];
  return { current, all };
}

/** Seals and opens secrets at rest; see the note at the top of this file. */
export class SecretBox {
  private readonly byId: Map<string, Buffer>;
  constructor(private readonly ring: { current: BoxKey; all: BoxKey[] }) {
    this.byId = new Map(ring.all.map((k) => [k.id, k.key]));
  }

  /** The id of the key new values are sealed with. */
  get keyId(): string {
    return this.ring.current.id;
  }

  /** True when the text looks like a sealed value (anything else is legacy plain text). */
  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** The key id a sealed value names, or null for a value that is not sealed. */
  static keyIdOf(value: string): string | null {
    if (!SecretBox.isSealed(value)) return null;
    return value.slice(PREFIX.length, value.indexOf(':', PREFIX.length));
  }

  /** Encrypts `plaintext`, bound to `context` (where it is stored), under the current key. */
  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', this.ring.current.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.ring.current.id}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** Decrypts a sealed value stored under `context`; throws SecretBoxError naming what is wrong. */
  open(sealed: string, context: string): string {
    if (!SecretBox.isSealed(sealed)) throw new SecretBoxError(`${context}: value is not encrypted`);
    const colon = sealed.indexOf(':', PREFIX.length);
    const id = sealed.slice(PREFIX.length, colon);
    const key = this.byId.get(id);
    if (!key) {
      throw new SecretBoxError(
        `${context}: encrypted with key ${id}, which is neither ENCRYPTION_KEY (${this.keyId}) nor in ENCRYPTION_KEYS_OLD; add that key to ENCRYPTION_KEYS_OLD`,
      );
    }
    const raw = Buffer.from(sealed.slice(colon + 1), 'base64url');
    if (raw.length < NONCE + TAG) throw new SecretBoxError(`${context}: encrypted value is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG));
      return Buffer.concat([decipher.update(raw.subarray(NONCE, raw.length - TAG)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`${context}: encrypted value does not authenticate (tampered, or stored under another row)`);
    }
  }

  /** True when the value should be re-sealed: plain text, or sealed under an older key. */
  needsReseal(value: string): boolean {
    return SecretBox.keyIdOf(value) !== this.keyId;
  }

  /** The value sealed under the current key (plain text is sealed as is; sealed values are opened first). */
  reseal(value: string, context: string): string {
    return this.seal(SecretBox.isSealed(value) ? this.open(value, context) : value, context);
  }
}

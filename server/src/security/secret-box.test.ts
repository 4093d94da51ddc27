import { describe, expect, it } from 'vitest';
import { deriveFromSecret, keyIdOf, keyRing, SecretBox, SecretBoxError } from './secret-box';

const A = 'a1'.repeat(32);
const B = Buffer.alloc(32, 9).toString('base64');

describe('SecretBox (AES-256-GCM at rest)', () => {
  it('seals to a value that holds no plaintext, names its key id and opens again', () => {
    const box = new SecretBox(keyRing({ ENCRYPTION_KEY: A, SECRET_KEY: 'x'.repeat(40) }));
    const secret = 'sk-live-0123456789abcdefSECRET';
    const sealed = box.seal(secret, 'provider:t1:openai');
    expect(sealed).toMatch(/^mvs1:[0-9a-f]{8}:[\w-]+$/);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(SecretBox.keyIdOf(sealed)).toBe(box.keyId);
    expect(box.open(sealed, 'provider:t1:openai')).toBe(secret);
    // A fresh nonce each time: the same secret never seals to the same text.
    expect(box.seal(secret, 'provider:t1:openai')).not.toBe(sealed);
  });

  it('refuses a value moved to another row, a tampered one and one under an unknown key', () => {
    const box = new SecretBox(keyRing({ ENCRYPTION_KEY: A, SECRET_KEY: 'x'.repeat(40) }));
    const sealed = box.seal('whsec_abc', 'webhook:t1:e1');
    expect(() => box.open(sealed, 'webhook:t2:e1')).toThrow(/does not authenticate/);
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(() => box.open(flipped, 'webhook:t1:e1')).toThrow(SecretBoxError);
    const other = new SecretBox(keyRing({ ENCRYPTION_KEY: B, SECRET_KEY: 'x'.repeat(40) }));
    expect(() => other.open(sealed, 'webhook:t1:e1')).toThrow(/ENCRYPTION_KEYS_OLD/);
  });

  it('opens values sealed under an old key once it is in ENCRYPTION_KEYS_OLD, and reseals them under the new one', () => {
    const oldBox = new SecretBox(keyRing({ ENCRYPTION_KEY: A, SECRET_KEY: 's'.repeat(40) }));
    const sealed = oldBox.seal('whsec_rotate', 'ctx');
    const ring = new SecretBox(keyRing({ ENCRYPTION_KEY: B, ENCRYPTION_KEYS_OLD: A, SECRET_KEY: 's'.repeat(40) }));
    expect(ring.open(sealed, 'ctx')).toBe('whsec_rotate');
    expect(ring.needsReseal(sealed)).toBe(true);
    const resealed = ring.reseal(sealed, 'ctx');
    expect(SecretBox.keyIdOf(resealed)).toBe(ring.keyId);
    expect(ring.needsReseal(resealed)).toBe(false);
    expect(new SecretBox(keyRing({ ENCRYPTION_KEY: B, SECRET_KEY: 'z'.repeat(40) })).open(resealed, 'ctx')).toBe('whsec_rotate');
    // Plain text (a legacy row) is sealed as is.
    expect(ring.open(ring.reseal('whsec_plain', 'ctx'), 'ctx')).toBe('whsec_plain');
  });

  it('derives the key from SECRET_KEY with HKDF when ENCRYPTION_KEY is unset; an old SECRET_KEY can be kept as secret:<value>', () => {
    const derived = new SecretBox(keyRing({ SECRET_KEY: 'first-secret-'.repeat(3) }));
    expect(derived.keyId).toBe(keyIdOf(deriveFromSecret('first-secret-'.repeat(3))));
    expect(derived.keyId).not.toBe(new SecretBox(keyRing({ SECRET_KEY: 'second-secret'.repeat(3) })).keyId);
    const sealed = derived.seal('v', 'c');
    const after = new SecretBox(keyRing({ SECRET_KEY: 'second-secret'.repeat(3), ENCRYPTION_KEYS_OLD: `secret:${'first-secret-'.repeat(3)}` }));
    expect(after.open(sealed, 'c')).toBe('v');
  });
});

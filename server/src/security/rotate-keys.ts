import type { Container } from '../container';

/**
 * `npm run rotate-keys`: re-encrypts every stored secret (webhook signing secrets, provider keys, all
 * workspaces) under the current ENCRYPTION_KEY. Values under older keys are opened with ENCRYPTION_KEYS_OLD;
 * once this has run, the old keys can be removed. Safe to run again (values already under the current key
 * are left alone) and while the server runs (each value is swapped only if unchanged meanwhile).
 */
export async function rotateStoredSecrets(c: Pick<Container, 'secretBox' | 'webhooks' | 'providerKeys'>): Promise<{ webhooks: number; providerKeys: number; keyId: string }> {
  const webhooks = await c.webhooks.resealSecrets();
  const providerKeys = await c.providerKeys.resealKeys();
  return { webhooks, providerKeys, keyId: c.secretBox.keyId };
}

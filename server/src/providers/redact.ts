/** Removes an API key, and anything shaped like one, from a provider's error text before we log or store it. */
export function redactSecrets(text: string, secret?: string): string {
  let out = text.slice(0, 500);
  if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(/\b(sk|xi|key)[-_][A-Za-z0-9*_-]{6,}/gi, '[redacted]');
}

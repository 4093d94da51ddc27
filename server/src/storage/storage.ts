import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface ObjectStat {
  size: number;
  contentType: string;
}

/** Object storage: a local folder or S3/MinIO. Keys are tenant-prefixed (see newKey). */
export interface Storage {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  putFile(key: string, filePath: string, contentType: string): Promise<void>;
  getBuffer(key: string): Promise<Buffer>;
  /** A byte range is inclusive, like HTTP Range. */
  getStream(key: string, range?: { start: number; end: number }): Promise<Readable>;
  stat(key: string): Promise<ObjectStat | null>;
  delete(key: string): Promise<void>;
  /** A URL that serves the object without other credentials until it expires. */
  signedUrl(key: string, expiresInSec: number): Promise<string>;
  /** Throws when storage is unreachable (readiness). */
  ping(): Promise<void>;
}

/** `<tenant>/<kind>/<random>.<ext>`: tenant-prefixed and unguessable. */
export function newKey(tenantId: string, kind: string, ext: string): string {
  return `${tenantId}/${kind}/${randomBytes(16).toString('hex')}.${ext.replace(/^\./, '')}`;
}

/** Keys only ever come from newKey; reject anything that could escape a folder. */
export function assertSafeKey(key: string): void {
  if (!/^[\w-]+(\/[\w.-]+)+$/.test(key) || key.includes('..')) throw new Error(`Unsafe storage key: ${key}`);
}

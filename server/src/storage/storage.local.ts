import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SignedUrlCache } from './signed-url-cache';
import { assertSafeKey, type ObjectStat, type Storage } from './storage';

/** Stores objects as files under `root`; signed URLs point at the API's /files route. */
export class LocalStorage implements Storage {
  readonly kind = 'local' as const;
  private readonly urls = new SignedUrlCache();
  constructor(
    private readonly root: string,
    private readonly publicUrl: string,
    private readonly secret: string,
  ) {}

  private file(key: string) {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, body: Buffer, contentType: string) {
    const f = this.file(key);
    await fs.mkdir(path.dirname(f), { recursive: true });
    await fs.writeFile(`${f}.tmp`, body);
    await fs.rename(`${f}.tmp`, f);
    await fs.writeFile(`${f}.meta`, JSON.stringify({ contentType }));
  }

  async putFile(key: string, filePath: string, contentType: string) {
    const f = this.file(key);
    await fs.mkdir(path.dirname(f), { recursive: true });
    await fs.copyFile(filePath, `${f}.tmp`);
    await fs.rename(`${f}.tmp`, f);
    await fs.writeFile(`${f}.meta`, JSON.stringify({ contentType }));
  }

  getBuffer(key: string) {
    return fs.readFile(this.file(key));
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const f = this.file(key);
    await fs.access(f);
    return createReadStream(f, range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<ObjectStat | null> {
    const f = this.file(key);
    try {
      const [st, meta] = await Promise.all([fs.stat(f), fs.readFile(`${f}.meta`, 'utf8').catch(() => '{}')]);
      const contentType = (JSON.parse(meta) as { contentType?: string }).contentType ?? 'application/octet-stream';
      return { size: st.size, contentType };
    } catch {
      return null;
    }
  }

  async delete(key: string) {
    const f = this.file(key);
    this.urls.forget(key);
    await Promise.all([fs.rm(f, { force: true }), fs.rm(`${f}.meta`, { force: true })]);
  }

  signedUrl(key: string, expiresInSec: number) {
    assertSafeKey(key);
    return this.urls.get(key, expiresInSec, () => {
      const exp = Math.floor(Date.now() / 1000) + expiresInSec;
      return `${this.publicUrl}/files/${key}?exp=${exp}&sig=${this.sign(key, exp)}`;
    });
  }

  /** Checks a /files signature; false when expired or forged. */
  verify(key: string, exp: number, sig: string): boolean {
    if (!Number.isFinite(exp) || exp < Date.now() / 1000) return false;
    const want = Buffer.from(this.sign(key, exp));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  private sign(key: string, exp: number) {
    return createHmac('sha256', this.secret).update(`files:${key}:${exp}`).digest('base64url');
  }

  async ping() {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
  }
}

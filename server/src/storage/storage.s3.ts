import type { Readable } from 'node:stream';
import { Client } from 'minio';
import { SignedUrlCache } from './signed-url-cache';
import { assertSafeKey, type ObjectStat, type Storage } from './storage';

export interface S3Options {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** Base URL browsers reach the store at (e.g. https://files.example.com), when it differs from endPoint. */
  publicUrl?: string;
}

const clientFor = (o: Pick<S3Options, 'endPoint' | 'port' | 'useSSL' | 'accessKey' | 'secretKey' | 'region'>) =>
  new Client({
    endPoint: o.endPoint,
    ...(o.port ? { port: o.port } : {}),
    useSSL: o.useSSL,
    accessKey: o.accessKey,
    secretKey: o.secretKey,
    // A fixed region means presigning never needs a network round trip.
    region: o.region,
    pathStyle: true,
  });

/** S3 / MinIO / R2 through the `minio` client; creates the bucket on first use; presigned GET URLs. */
export class S3Storage implements Storage {
  readonly kind = 's3' as const;
  private readonly client: Client;
  private readonly signer: Client;
  private bucketReady?: Promise<void>;
  private readonly urls = new SignedUrlCache();

  constructor(private readonly o: S3Options) {
    this.client = clientFor(o);
    const pub = o.publicUrl ? new URL(o.publicUrl) : undefined;
    this.signer = pub
      ? clientFor({
          ...o,
          endPoint: pub.hostname,
          useSSL: pub.protocol === 'https:',
          port: pub.port ? Number(pub.port) : pub.protocol === 'https:' ? 443 : 80,
        })
      : this.client;
  }

  private ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      if (await this.client.bucketExists(this.o.bucket)) return;
      try {
        await this.client.makeBucket(this.o.bucket, this.o.region);
      } catch (e) {
        // Another process may have created it between our check and our call.
        if (!(await this.client.bucketExists(this.o.bucket))) throw e;
      }
    })().catch((e: unknown) => {
      this.bucketReady = undefined;
      throw e;
    });
    return this.bucketReady;
  }

  async put(key: string, body: Buffer, contentType: string) {
    assertSafeKey(key);
    await this.ensureBucket();
    await this.client.putObject(this.o.bucket, key, body, body.length, { 'Content-Type': contentType });
  }

  async putFile(key: string, filePath: string, contentType: string) {
    assertSafeKey(key);
    await this.ensureBucket();
    await this.client.fPutObject(this.o.bucket, key, filePath, { 'Content-Type': contentType });
  }

  async getBuffer(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.getStream(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    assertSafeKey(key);
    await this.ensureBucket();
    return range
      ? this.client.getPartialObject(this.o.bucket, key, range.start, range.end - range.start + 1)
      : this.client.getObject(this.o.bucket, key);
  }

  async stat(key: string): Promise<ObjectStat | null> {
    assertSafeKey(key);
    await this.ensureBucket();
    try {
      const st = await this.client.statObject(this.o.bucket, key);
      const meta = st.metaData as Record<string, string | undefined>;
      return { size: st.size, contentType: meta['content-type'] ?? 'application/octet-stream' };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async delete(key: string) {
    assertSafeKey(key);
    this.urls.forget(key);
    await this.ensureBucket();
    await this.client.removeObject(this.o.bucket, key);
  }

  signedUrl(key: string, expiresInSec: number) {
    assertSafeKey(key);
    return this.urls.get(key, expiresInSec, () => this.signer.presignedGetObject(this.o.bucket, key, expiresInSec));
  }

  /** Reaches the server on every call (readiness); re-creates the bucket if someone removed it. */
  async ping() {
    if (await this.client.bucketExists(this.o.bucket)) return;
    this.bucketReady = undefined;
    await this.ensureBucket();
  }
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'NotFound' || code === 'NoSuchKey';
}

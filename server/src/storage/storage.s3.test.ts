import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../test/s3-server';
import { testConfig } from '../../test/harness';
import { createStorage } from './storage.factory';
import { S3Storage } from './storage.s3';
import { newKey } from './storage';

const TENANT = '11111111-2222-3333-4444-555555555555';

describe('S3Storage against a real S3-protocol server on loopback', () => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let storage: S3Storage;

  beforeAll(async () => {
    s3 = await startS3Server();
    const made = createStorage(testConfig('/tmp/unused', { ...s3.env, S3_BUCKET: 'mvs-storage-test' }));
    if (!(made instanceof S3Storage)) throw new Error('factory did not choose S3 with S3_ENDPOINT set');
    storage = made;
  });
  afterAll(() => s3.close());

  it('creates the missing bucket on first use and round-trips bytes and content type', async () => {
    const key = newKey(TENANT, 'test', 'txt');
    await storage.put(key, Buffer.from('hello s3 world'), 'text/plain');
    expect(await storage.stat(key)).toEqual({ size: 14, contentType: 'text/plain' });
    expect((await storage.getBuffer(key)).toString()).toBe('hello s3 world');
  });

  it('reads an inclusive byte range through getPartialObject', async () => {
    const key = newKey(TENANT, 'test', 'bin');
    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await storage.put(key, body, 'application/octet-stream');
    const chunks: Buffer[] = [];
    for await (const c of await storage.getStream(key, { start: 10, end: 19 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(body.subarray(10, 20));
  });

  it('uploads a file from disk with putFile', async () => {
    const key = newKey(TENANT, 'test', 'json');
    await storage.putFile(key, new URL('../../package.json', import.meta.url).pathname, 'application/json');
    expect(JSON.parse((await storage.getBuffer(key)).toString()).name).toBe('@mvs/server');
  });

  it('gives a presigned GET URL that downloads the object without other credentials', async () => {
    const key = newKey(TENANT, 'test', 'txt');
    await storage.put(key, Buffer.from('signed content'), 'text/plain');
    const url = await storage.signedUrl(key, 60);
    expect(url).toContain('X-Amz-Signature=');
    expect(url).toContain('X-Amz-Expires=60');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('signed content');
  });

  it('presigns for S3_PUBLIC_URL when the browser reaches the store at another address', async () => {
    const pub = createStorage(
      testConfig('/tmp/unused', { ...s3.env, S3_BUCKET: 'mvs-storage-test', S3_PUBLIC_URL: `http://localhost:${s3.port}` }),
    );
    const key = newKey(TENANT, 'test', 'txt');
    await pub.put(key, Buffer.from('public'), 'text/plain');
    const url = await pub.signedUrl(key, 60);
    expect(new URL(url).host).toBe(`localhost:${s3.port}`);
    expect(await (await fetch(url)).text()).toBe('public');
  });

  it('answers null for a missing object and deletes objects', async () => {
    const key = newKey(TENANT, 'test', 'txt');
    expect(await storage.stat(key)).toBeNull();
    await storage.put(key, Buffer.from('x'), 'text/plain');
    await storage.delete(key);
    expect(await storage.stat(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('pings a reachable server and fails the ping when the server is unreachable', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
    const dead = createStorage(testConfig('/tmp/unused', { ...s3.env, S3_PORT: '1', S3_BUCKET: 'mvs-storage-test' }));
    await expect(dead.ping()).rejects.toThrow();
  });

  it('refuses keys that could escape the tenant prefix', async () => {
    await expect(storage.put('../etc/passwd', Buffer.from('x'), 'text/plain')).rejects.toThrow(/Unsafe storage key/);
  });
});

describe('createStorage', () => {
  it('chooses the local folder when S3_ENDPOINT is empty and demands keys when it is set', () => {
    expect(createStorage(testConfig('/tmp/unused')).kind).toBe('local');
    expect(() => createStorage(testConfig('/tmp/unused', { S3_ENDPOINT: '127.0.0.1' }))).toThrow(/S3_ACCESS_KEY/);
  });
});

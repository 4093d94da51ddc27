import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** A real S3-protocol server (s3rver) on 127.0.0.1 with a temp folder, for storage tests. */
export async function startS3Server(): Promise<{ port: number; env: Record<string, string>; close(): Promise<void> }> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  return {
    port,
    // s3rver's documented default credentials (it does not verify signatures, so forgery is not testable here).
    env: { S3_ENDPOINT: '127.0.0.1', S3_PORT: String(port), S3_USE_SSL: 'false', S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER' },
    async close() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

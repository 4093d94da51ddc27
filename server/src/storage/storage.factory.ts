import path from 'node:path';
import type { Config } from '../config';
import { LocalStorage } from './storage.local';
import { S3Storage } from './storage.s3';
import type { Storage } from './storage';

/** S3/MinIO when S3_ENDPOINT is set (then S3_ACCESS_KEY and S3_SECRET_KEY are required), else a folder in DATA_DIR. */
export function createStorage(config: Config): Storage {
  if (!config.S3_ENDPOINT) {
    return new LocalStorage(path.join(config.DATA_DIR, 'objects'), config.PUBLIC_URL, config.SECRET_KEY);
  }
  if (!config.S3_ACCESS_KEY || !config.S3_SECRET_KEY) {
    throw new Error('S3_ENDPOINT is set, so S3_ACCESS_KEY and S3_SECRET_KEY must be set too');
  }
  return new S3Storage({
    endPoint: config.S3_ENDPOINT,
    port: config.S3_PORT,
    useSSL: config.S3_USE_SSL,
    accessKey: config.S3_ACCESS_KEY,
    secretKey: config.S3_SECRET_KEY,
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    publicUrl: config.S3_PUBLIC_URL,
  });
}

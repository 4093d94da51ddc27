import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { AppError } from '../../errors';

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: { path: string; bytes: number; filename: string } | null;
  /** Names of file parts other than the expected one (to say what was sent instead). */
  otherFiles: string[];
}

const tooLarge = (maxBytes: number) =>
  new AppError(413, 'payload_too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; split it into smaller files and import them one by one`);

/**
 * Streams a multipart request to disk: the part `fileField` goes to `<dir>/upload` as it arrives (never all
 * in memory), the text fields are collected (≤ 1 MB each). Past `maxBytes` the upload stops with 413
 * payload_too_large, before the rest of the body is read. A body that is not multipart is 415.
 */
export async function receiveUpload(req: Request, opts: { fileField: string; maxBytes: number; dir: string }): Promise<ReceivedUpload> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data with the CSV in the field "file"');
  }
  if (!req.body) throw new AppError(422, 'missing_file', 'The request has no body; send the CSV in the multipart field "file"');
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': type },
      limits: { fileSize: opts.maxBytes, files: 5, fields: 20, fieldSize: 1024 * 1024, parts: 30 },
      defParamCharset: 'utf8',
    });
  } catch (e) {
    throw new AppError(415, 'unsupported_media_type', `The multipart body cannot be read: ${(e as Error).message}`);
  }

  const fields: Record<string, string> = {};
  const otherFiles: string[] = [];
  let file: ReceivedUpload['file'] = null;
  const writes: Promise<void>[] = [];
  const source = Readable.fromWeb(req.body as unknown as WebReadableStream<Uint8Array>);

  const done = new Promise<void>((resolve, reject) => {
    const fail = (e: unknown) => {
      source.destroy();
      reject(e instanceof AppError ? e : new AppError(422, 'unreadable_file', `The upload could not be read: ${(e as Error).message}`));
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new AppError(413, 'payload_too_large', `The field "${name}" is larger than 1 MB`));
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== opts.fileField || file) {
        otherFiles.push(name);
        stream.resume();
        return;
      }
      const target = path.join(opts.dir, 'upload');
      const entry = { path: target, bytes: 0, filename: info.filename ?? '' };
      file = entry;
      stream.on('data', (chunk: Buffer) => (entry.bytes += chunk.length));
      stream.on('limit', () => fail(tooLarge(opts.maxBytes)));
      writes.push(pipeline(stream, fs.createWriteStream(target)).catch((e: unknown) => fail(e)));
    });
    parser.on('error', fail);
    parser.on('close', () => resolve());
    source.on('error', fail);
  });
  source.pipe(parser);
  await done;
  await Promise.all(writes);
  return { fields, file, otherFiles };
}

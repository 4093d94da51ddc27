import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { IMPORT_ENCODINGS } from '@mvs/shared/schemas/contacts';
import { AppError } from '../../errors';

export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

/** What the first bytes of a file say about it. */
export interface Sniffed {
  encoding: ImportEncoding;
  /** Bytes of byte-order mark to skip. */
  bomBytes: number;
}

/** Signatures of files people upload by mistake instead of a CSV, for a message that says what to do. */
const BINARY_SIGNATURES: { magic: number[]; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx or Numbers file is one): save the sheet as "CSV UTF-8" and upload that' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel .xls workbook: save the sheet as "CSV UTF-8" and upload that' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x1f, 0x8b], what: 'a gzip archive' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF)' },
  { magic: [0x4d, 0x5a], what: 'a Windows program' },
];

const startsWith = (b: Buffer, magic: number[]) => magic.every((m, i) => b[i] === m);

const notCsv = (what: string) =>
  new AppError(415, 'unsupported_file_type', `The file is ${what}, not a CSV text file; export your contacts as CSV (comma, semicolon or tab separated) and upload that`);

/** Vietnamese letters that only exist precomposed (ạ ả ấ … ỹ, ơ ư ă đ): evidence a legacy decode is right. */
const VIETNAMESE = /[\u1EA0-\u1EF9ăâđêôơưĂÂĐÊÔƠƯ]/gu;

/**
 * Decides how to read a file from its first bytes (64 KB is plenty): a BOM wins (UTF-8, UTF-16 LE/BE); UTF-16
 * without a BOM shows as NULs in every other byte; other NULs or a known binary signature mean the file is not
 * text (415). Text that is not valid UTF-8 is a legacy Windows export: Windows-1258 when that decoding yields
 * Vietnamese letters, else Windows-1252. An explicit `override` skips the guessing (but still skips a BOM).
 */
export function sniffEncoding(head: Buffer, override?: ImportEncoding): Sniffed {
  if (head.length === 0) throw new AppError(422, 'empty_file', 'The file is empty; export your contacts again and upload a CSV with a header row');
  const bom: Sniffed | null =
    head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
      ? { encoding: 'utf-8', bomBytes: 3 }
      : head[0] === 0xff && head[1] === 0xfe
        ? { encoding: 'utf-16le', bomBytes: 2 }
        : head[0] === 0xfe && head[1] === 0xff
          ? { encoding: 'utf-16be', bomBytes: 2 }
          : null;
  if (override) return { encoding: override, bomBytes: bom && bom.encoding === override ? bom.bomBytes : 0 };
  if (bom) return bom;
  const sig = BINARY_SIGNATURES.find((s) => startsWith(head, s.magic));
  if (sig) throw notCsv(sig.what);

  const sample = head.subarray(0, 4096);
  let nulEven = 0;
  let nulOdd = 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    } else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  const half = sample.length / 2;
  // ASCII text in UTF-16 LE has its zero bytes at odd offsets, in BE at even ones.
  if (nulOdd > half * 0.3 && nulEven < nulOdd * 0.1) return { encoding: 'utf-16le', bomBytes: 0 };
  if (nulEven > half * 0.3 && nulOdd < nulEven * 0.1) return { encoding: 'utf-16be', bomBytes: 0 };
  if (nulEven + nulOdd > 0 || control > sample.length * 0.02) throw notCsv('binary data');

  if (isUtf8(head)) return { encoding: 'utf-8', bomBytes: 0 };
  const asVietnamese = new TextDecoder('windows-1258').decode(head).normalize('NFC');
  return { encoding: (asVietnamese.match(VIETNAMESE)?.length ?? 0) > 0 ? 'windows-1258' : 'windows-1252', bomBytes: 0 };
}

/** Valid UTF-8, allowing a character cut off at the end of the sample. */
function isUtf8(head: Buffer): boolean {
  let end = head.length;
  // Step back over a trailing, possibly incomplete, multi-byte sequence (at most 3 bytes).
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = head[end - k]!;
    if ((b & 0xc0) === 0xc0) {
      end -= k;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Bytes → text in the sniffed encoding, chunk by chunk (a character split across chunks is kept for the
 * next one), dropping the BOM. Undecodable bytes become U+FFFD, which the import refuses per row.
 */
export class DecodeStream extends Transform {
  private readonly decoder: TextDecoder;
  private skip: number;

  constructor(sniffed: Sniffed) {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
    this.decoder = new TextDecoder(sniffed.encoding);
    this.skip = sniffed.bomBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let bytes = chunk;
    if (this.skip > 0) {
      const n = Math.min(this.skip, bytes.length);
      bytes = bytes.subarray(n);
      this.skip -= n;
    }
    const text = this.decoder.decode(bytes, { stream: true });
    if (text) this.push(text);
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.decoder.decode();
    if (rest) this.push(rest);
    done();
  }
}

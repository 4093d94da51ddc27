import { isUtf8 } from 'node:buffer';

/** Why a text body is refused (400), or null when it is fine. */
export interface BodyProblem {
  code: 'invalid_utf8' | 'json_too_deep';
  message: string;
}

/** Offset of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= b.length) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

const badUtf8 = (b: Uint8Array): BodyProblem => ({
  code: 'invalid_utf8',
  message: `Body is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(b)}); send the text encoded as UTF-8`,
});

const hex = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);

function hex4(b: Uint8Array, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const h = hex(b[i + k] ?? 0);
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

/**
 * Checks a JSON body before it is parsed: valid UTF-8, nesting at most `maxDepth`, and no `\u` escape that
 * names a lone surrogate or U+0000 (neither can be stored as text; PostgreSQL refuses both). It only tracks
 * strings and brackets; syntax errors are left to JSON.parse.
 */
export function checkJson(b: Uint8Array, maxDepth: number): BodyProblem | null {
  if (!isUtf8(b)) return badUtf8(b);
  let depth = 0;
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c === 0x22) {
      // A string: skip to its closing quote, checking escapes.
      i++;
      while (i < n) {
        const s = b[i]!;
        if (s === 0x22) break;
        if (s === 0x5c) {
          if (b[i + 1] === 0x75) {
            const u = hex4(b, i + 2);
            if (u === 0) return { code: 'invalid_utf8', message: `JSON string holds \\u0000 at offset ${i}; NUL characters cannot be stored` };
            if (u >= 0xd800 && u <= 0xdbff) {
              const low = b[i + 6] === 0x5c && b[i + 7] === 0x75 ? hex4(b, i + 8) : -1;
              if (low < 0xdc00 || low > 0xdfff) return loneSurrogate(u, i);
              i += 12;
              continue;
            }
            if (u >= 0xdc00 && u <= 0xdfff) return loneSurrogate(u, i);
            i += 6;
            continue;
          }
          i += 2;
          continue;
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return { code: 'json_too_deep', message: `JSON nests deeper than ${maxDepth} levels (at offset ${i}); flatten the body` };
    } else if (c === 0x5d || c === 0x7d) depth--;
    i++;
  }
  return null;
}

const loneSurrogate = (u: number, at: number): BodyProblem => ({
  code: 'invalid_utf8',
  message: `JSON string holds a lone surrogate \\u${u.toString(16).toUpperCase()} at offset ${at}, which is not a character; send valid Unicode`,
});

/** Checks plain text: valid UTF-8 and no NUL byte. */
export function checkText(b: Uint8Array): BodyProblem | null {
  if (!isUtf8(b)) return badUtf8(b);
  const nul = b.indexOf(0);
  return nul >= 0 ? { code: 'invalid_utf8', message: `Body holds a NUL byte at offset ${nul}; NUL characters cannot be stored` } : null;
}

/** Checks an application/x-www-form-urlencoded body: the bytes and what its %XX escapes decode to are UTF-8, without NUL. */
export function checkForm(b: Uint8Array): BodyProblem | null {
  if (!isUtf8(b)) return badUtf8(b);
  if (b.indexOf(0x25) < 0) return checkText(b);
  const out = new Uint8Array(b.length);
  let o = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x25) {
      const hi = hex(b[i + 1] ?? 0);
      const lo = hex(b[i + 2] ?? 0);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  const decoded = out.subarray(0, o);
  if (!isUtf8(decoded)) return { code: 'invalid_utf8', message: 'A form field is not valid UTF-8 after %-decoding; encode fields as UTF-8' };
  if (decoded.indexOf(0) >= 0) return { code: 'invalid_utf8', message: 'A form field holds %00 (NUL), which cannot be stored' };
  return null;
}

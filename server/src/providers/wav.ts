/** Mono 16-bit PCM audio held in memory. */
export interface Pcm16 {
  sampleRate: number;
  /** Little-endian signed 16-bit samples, one channel. */
  data: Buffer;
}

export const pcmDurationSec = (pcm: Pcm16) => pcm.data.length / 2 / pcm.sampleRate;

/** A 44-byte RIFF/WAVE header followed by the samples. */
export function encodeWav(pcm: Pcm16): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + pcm.data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(pcm.sampleRate, 24);
  h.writeUInt32LE(pcm.sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(pcm.data.length, 40);
  return Buffer.concat([h, pcm.data]);
}

/**
 * Reads a mono 16-bit PCM WAV. Streaming servers write 0 or 0xFFFFFFFF as the data size; then the data runs to
 * the end of the buffer. Throws on anything else (stereo, float, compressed).
 */
export function decodeWav(buf: Buffer): Pcm16 {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let pos = 12;
  let sampleRate = 0;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(body);
      const channels = buf.readUInt16LE(body + 2);
      const bits = buf.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bits !== 16) {
        throw new Error(`unsupported WAV: format ${format}, ${channels} channels, ${bits} bits (need mono 16-bit PCM)`);
      }
      sampleRate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (!sampleRate) throw new Error('WAV data chunk before fmt chunk');
      const end = size === 0 || size === 0xffffffff || body + size > buf.length ? buf.length : body + size;
      const len = (end - body) & ~1;
      return { sampleRate, data: buf.subarray(body, body + len) };
    }
    pos = body + size + (size & 1);
  }
  throw new Error('WAV has no data chunk');
}

/** Joins parts back to back, sample-exact: no silence is inserted and nothing is trimmed. */
export function concatPcm(parts: Pcm16[]): Pcm16 {
  const first = parts[0];
  if (!first) throw new Error('nothing to join');
  const mismatch = parts.find((p) => p.sampleRate !== first.sampleRate);
  if (mismatch) throw new Error(`cannot join ${first.sampleRate} Hz and ${mismatch.sampleRate} Hz audio`);
  return { sampleRate: first.sampleRate, data: Buffer.concat(parts.map((p) => p.data)) };
}

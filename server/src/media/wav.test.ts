import { describe, expect, it } from 'vitest';
import { encodeWav, frameLoudnessDb, parseWav } from './wav';

const round = (a: Float32Array) => Array.from(a, (x) => Number(x.toFixed(3)));

describe('parseWav', () => {
  it('round-trips mono 16-bit PCM', () => {
    const w = parseWav(encodeWav(new Float32Array([0, 0.5, -0.5, 1, -1]), 8000));
    expect(round(w.samples)).toEqual([0, 0.5, -0.5, 1, -1]);
    expect(w).toMatchObject({ sampleRate: 8000, durationSec: 5 / 8000 });
  });

  it('reads a buffer that starts at an odd byte offset', () => {
    const odd = Buffer.concat([Buffer.alloc(1), encodeWav(new Float32Array([0.25, -0.25]), 8000)]).subarray(1);
    expect(round(parseWav(odd).samples)).toEqual([0.25, -0.25]);
  });

  it('accepts the 0xFFFFFFFF data size that streaming writers leave', () => {
    const b = encodeWav(new Float32Array([0.5, 0.5, 0.5]), 8000);
    b.writeUInt32LE(0xffffffff, 40);
    expect(parseWav(b).samples.length).toBe(3);
  });

  it('mixes stereo down to mono', () => {
    const b = encodeWav(new Float32Array([0.5, 0, 0.5, 0]), 8000);
    b.writeUInt16LE(2, 22);
    expect(round(parseWav(b).samples)).toEqual([0.25, 0.25]);
  });

  it.each([Buffer.from('RIFFxxxxWAVE'), Buffer.from('not a wav file at all')])('refuses a file without PCM data', (b) => {
    expect(() => parseWav(b)).toThrow();
  });

  it('measures loudness per frame, silence as -120 dB', () => {
    const s = new Float32Array(200);
    s.fill(0.5, 100);
    const db = frameLoudnessDb({ sampleRate: 100, samples: s, durationSec: 2 }, 1);
    expect(db[0]).toBe(-120);
    expect(db[1]).toBeCloseTo(20 * Math.log10(0.5), 1);
  });
});

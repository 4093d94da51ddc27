// Minimal types for gifenc 1.0 (MIT; it ships none): the parts server/src/render/thumbnails-gif.ts uses.
declare module 'gifenc' {
  export type Color = [number, number, number] | [number, number, number, number];
  export interface FrameOptions {
    palette?: Color[];
    delay?: number;
    repeat?: number;
    transparent?: boolean;
    transparentIndex?: number;
    dispose?: number;
    first?: boolean;
    colorDepth?: number;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, opts?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
  }
  /** module.exports of the CommonJS build. */
  export interface GifEnc {
    GIFEncoder(opts?: { auto?: boolean; initialCapacity?: number }): Encoder;
    quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, opts?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' }): Color[];
  }
}

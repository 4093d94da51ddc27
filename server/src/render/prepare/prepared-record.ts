import { z } from 'zod';

const Pt = z.tuple([z.number(), z.number()]);
const BoxSchema = z.object({ x: z.number().int(), y: z.number().int(), w: z.number().int(), h: z.number().int() });

/** One output format's cached sprites: storage keys and geometry in output pixels. */
export const PreparedFormatRecord = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  crop: z.object({ left: z.number().int(), top: z.number().int(), width: z.number().int(), height: z.number().int() }),
  landmarks: z.array(Pt).length(68),
  mouth_box: BoxSchema,
  eyes_box: BoxSchema,
  openings: z.array(z.number()),
  keys: z.object({
    mouth: z.array(z.string()).min(6),
    closed: z.string(),
    rounded: z.string(),
    blink: z.array(z.string()).min(6),
  }),
});
export type PreparedFormatRecord = z.infer<typeof PreparedFormatRecord>;

/** The avatars.prepared JSON: which photo it was made from, where the face is, and sprites per format. */
export const PreparedRecord = z.object({
  /** 2: nine mouth levels and shaded synthetic teeth (issue 12); records of version 1 are simply re-made. */
  version: z.literal(2),
  photo_key: z.string(),
  photo_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  face: z.object({
    width: z.number().int(),
    height: z.number().int(),
    landmarks: z.array(Pt).length(68),
    face_width_px: z.number(),
    detector: z.enum(['tiny', 'ssd']),
    score: z.number(),
  }),
  formats: z.partialRecord(z.enum(['portrait', 'landscape', 'square']), PreparedFormatRecord),
  timings_ms: z.record(z.string(), z.number()).optional(),
});
export type PreparedRecord = z.infer<typeof PreparedRecord>;

/** Parses a stored record; null when absent or of an older/unknown shape (then it is simply re-made). */
export function parsePreparedRecord(value: unknown): PreparedRecord | null {
  const r = PreparedRecord.safeParse(typeof value === 'string' ? JSON.parse(value) : value);
  return r.success ? r.data : null;
}

export const toTuples = (ps: Array<{ x: number; y: number }>): Array<[number, number]> =>
  ps.map((p) => [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10]);
export const fromTuples = (ts: Array<[number, number]>) => ts.map(([x, y]) => ({ x, y }));

/** Colour arithmetic for workspace branding (WCAG 2.x relative luminance and contrast). Pure. */

export type Rgb = [number, number, number];

/** `#RRGGBB` (any case) → [r, g, b]; null for anything else. */
export function parseHexColor(s: unknown): Rgb | null {
  if (typeof s !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(s)) return null;
  const n = Number.parseInt(s.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export const toHex = ([r, g, b]: Rgb) => `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance of an sRGB colour (0 = black, 1 = white). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio between two colours (1 … 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const WHITE: Rgb = [255, 255, 255];
/** The dark text colour used on light accents (the page's own text colour). */
export const INK: Rgb = [0x1d, 0x23, 0x30];

/** White or dark ink, whichever reads better on `bg` (white wins ties, as on the default blue). */
export function textColorOn(bg: Rgb): Rgb {
  return contrastRatio(WHITE, bg) >= contrastRatio(INK, bg) ? WHITE : INK;
}

/** `bg` mixed toward black (amount > 0) or white (amount < 0) by |amount| (0 … 1). */
export function shade(bg: Rgb, amount: number): Rgb {
  const t = Math.min(1, Math.abs(amount));
  const to = amount >= 0 ? 0 : 255;
  return bg.map((v) => v + (to - v) * t) as Rgb;
}

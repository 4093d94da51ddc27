/** A workspace's branding as drawn on posters and GIFs: accent colour (play button, bottom bar) and logo. */
export interface ThumbnailBrand {
  /** `#RRGGBB`, or null for the neutral look. */
  color: string | null;
  /** The logo image (PNG or JPEG bytes), or null. */
  logo: Buffer | null;
}

/** What is drawn on posters and GIFs: the caption, the AI disclosure badge, and optionally the workspace's branding. */
export interface ThumbnailTexts {
  caption: string;
  badge: string;
  brand?: ThumbnailBrand;
  /** Part of the picture the play button must not cover (the talking mouth), as fractions of width and height. */
  keepClear?: { x: number; y: number; w: number; h: number };
}

const TEXTS = {
  en: { named: (n: string) => `Hi ${n} — a video for you`, generic: 'A video for you', badge: 'AI-generated' },
  vi: { named: (n: string) => `Chào ${n} — video dành cho bạn`, generic: 'Video dành cho bạn', badge: 'Tạo bởi AI' },
} as const;

/**
 * The caption ("Hi Priya — a video for you", or the video's own `caption`, e.g. a campaign's filled-in poster
 * caption) and the AI disclosure badge for a language (English when unknown), plus the branding when given.
 */
export function thumbnailTexts(language: string, recipientName?: string | null, brand?: ThumbnailBrand | null, caption?: string | null): ThumbnailTexts {
  const t = language.toLowerCase().startsWith('vi') ? TEXTS.vi : TEXTS.en;
  const name = recipientName?.replace(/\s+/g, ' ').trim().slice(0, 60);
  const own = caption?.replace(/\s+/g, ' ').trim().slice(0, 120);
  const texts: ThumbnailTexts = { caption: own || (name ? t.named(name) : t.generic), badge: t.badge };
  if (brand && (brand.color || brand.logo)) texts.brand = brand;
  return texts;
}

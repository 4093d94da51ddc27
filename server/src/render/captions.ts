/** Texts baked into posters and GIFs, in English and Vietnamese. */
export interface ThumbnailTexts {
  caption: string;
  badge: string;
}

const TEXTS = {
  en: { named: (n: string) => `Hi ${n} — a video for you`, generic: 'A video for you', badge: 'AI-generated' },
  vi: { named: (n: string) => `Chào ${n} — video dành cho bạn`, generic: 'Video dành cho bạn', badge: 'Tạo bởi AI' },
} as const;

/** The caption ("Hi Priya — a video for you") and the AI disclosure badge for a language (English when unknown). */
export function thumbnailTexts(language: string, recipientName?: string | null): ThumbnailTexts {
  const t = language.toLowerCase().startsWith('vi') ? TEXTS.vi : TEXTS.en;
  const name = recipientName?.replace(/\s+/g, ' ').trim().slice(0, 60);
  return { caption: name ? t.named(name) : t.generic, badge: t.badge };
}

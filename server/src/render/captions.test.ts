import { describe, expect, it } from 'vitest';
import { thumbnailTexts } from './captions';
import { drawOverlay, thumbnailSizes } from './thumbnails';
import sharp from 'sharp';

describe('thumbnail texts', () => {
  it.each([
    { lang: 'en', name: 'Priya', caption: 'Hi Priya — a video for you', badge: 'AI-generated' },
    { lang: 'vi', name: 'Priya', caption: 'Chào Priya — video dành cho bạn', badge: 'Tạo bởi AI' },
    { lang: 'en', name: undefined, caption: 'A video for you', badge: 'AI-generated' },
    { lang: 'vi', name: '  ', caption: 'Video dành cho bạn', badge: 'Tạo bởi AI' },
    { lang: 'fr', name: 'Anne', caption: 'Hi Anne — a video for you', badge: 'AI-generated' },
  ])('captions a $lang video for $name', ({ lang, name, caption, badge }) => {
    expect(thumbnailTexts(lang, name)).toEqual({ caption, badge });
  });

  it("uses the video's own caption (a campaign's poster caption) when it has one, keeping the badge", () => {
    expect(thumbnailTexts('vi', 'Lan', null, '  Chị Lan ơi,   xem nhé ')).toEqual({ caption: 'Chị Lan ơi, xem nhé', badge: 'Tạo bởi AI' });
    expect(thumbnailTexts('en', 'Lan', null, '   ')).toEqual({ caption: 'Hi Lan — a video for you', badge: 'AI-generated' });
  });

  it.each([
    { w: 720, h: 1280, poster: [600, 1066], gif: [360, 640] },
    { w: 1280, h: 720, poster: [600, 338], gif: [480, 270] },
    { w: 1080, h: 1080, poster: [600, 600], gif: [400, 400] },
  ])('sizes the poster and GIF of a $w x $h video', ({ w, h, poster, gif }) => {
    const s = thumbnailSizes(w, h);
    expect([s.poster.width, s.poster.height]).toEqual(poster);
    expect([s.gif.width, s.gif.height]).toEqual(gif);
  });

  it('draws an overlay that is transparent around the edges and opaque at the play button', async () => {
    const png = drawOverlay(360, 640, thumbnailTexts('vi', 'Priya'));
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const alpha = (x: number, y: number) => data[(y * info.width + x) * 4 + 3]!;
    expect(alpha(180, 320)).toBe(255); // play triangle
    expect(alpha(300, 200)).toBe(0); // photo shows through
    expect(alpha(20, 620)).toBeGreaterThan(100); // caption band
  });
});

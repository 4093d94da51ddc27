import { describe, expect, it } from 'vitest';
import { thumbnailSize, videoInsertBlock } from './video-snippet';

const video = {
  watch_url: 'https://video.example.com/v/AbC123',
  title: 'Pricing for the pilot',
  duration_sec: 42.3,
  width: 1280,
  height: 720,
  language: 'en',
};

describe('the block inserted into an email', () => {
  it.each([
    [1280, 720, 480, 270],
    [720, 1280, 225, 400],
    [1080, 1080, 400, 400],
    [null, null, 480, 270],
  ] as const)('fits %s×%s into %i×%i', (w, h, ew, eh) => {
    expect(thumbnailSize(w, h)).toEqual({ width: ew, height: eh });
  });

  it('links the public poster to the watch page with size, alt and a text link — no base64', () => {
    const { html, text } = videoInsertBlock(video);
    expect(html).toContain('href="https://video.example.com/v/AbC123"');
    expect(html).toMatch(/<img src="https:\/\/video\.example\.com\/v\/AbC123\/poster\.jpg" width="480" height="270"/);
    expect(html).toContain('alt="▶ Play video: Pricing for the pilot (0:42)"');
    expect(html).toContain('>Watch the video (0:42)</a>');
    expect(html).not.toContain('data:');
    expect(text).toContain('https://video.example.com/v/AbC123');
  });

  it('writes the block in the video’s language, for the recipient', () => {
    const { html } = videoInsertBlock({ ...video, language: 'vi', title: null });
    expect(html).toContain('alt="▶ Xem video: một video cá nhân (0:42)"');
  });
});

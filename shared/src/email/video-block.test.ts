import { describe, expect, it } from 'vitest';
import { buildVideoBlock, type EmailClient, type VideoBlockInput } from './video-block';

interface Tag {
  name: string;
  attrs: Record<string, string>;
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** A tiny tokenizer for the well-formed markup under test: start tags with their (decoded) attributes. */
function tags(html: string): Tag[] {
  return [...html.matchAll(/<([a-z]+)((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/g)].map((m) => ({
    name: m[1]!,
    attrs: Object.fromEntries([...m[2]!.matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, decode(a[2]!)])),
  }));
}

const base: VideoBlockInput = {
  watchUrl: 'https://video.example.com/v/AbC123',
  imageUrl: 'https://video.example.com/v/AbC123/poster.jpg',
  gifUrl: 'https://video.example.com/v/AbC123/thumb.gif',
  width: 480,
  height: 270,
  alt: '▶ Play video: Q3 plan recap (1:12)',
  linkText: 'Watch the video (1:12)',
};

describe('buildVideoBlock', () => {
  const variants: { client: EmailClient; image: string; linkId: boolean; why: string }[] = [
    { client: 'outlook', image: base.imageUrl, linkId: true, why: 'Word engine shows GIF frame 1 only: poster; LPNoLP stops link previews' },
    { client: 'gmail', image: base.gifUrl!, linkId: false, why: 'Gmail animates GIFs through its proxy' },
    { client: 'apple', image: base.gifUrl!, linkId: false, why: 'Apple Mail animates GIFs' },
    { client: 'generic', image: base.imageUrl, linkId: true, why: 'unknown client: the poster is safe everywhere' },
  ];

  it.each(variants)('$client: one link wrapping one sized image ($why)', ({ client, image, linkId }) => {
    const { html, text } = buildVideoBlock({ ...base, client });
    const all = tags(html);
    const imgs = all.filter((t) => t.name === 'img');
    const links = all.filter((t) => t.name === 'a');
    expect(imgs).toHaveLength(1);
    expect(imgs[0]!.attrs).toMatchObject({ src: image, width: '480', height: '270', border: '0', alt: base.alt });
    expect(imgs[0]!.attrs.style).toContain('display:block');
    // The image link and the text link, both to the watch page; the image sits inside the first.
    expect(links.map((l) => l.attrs.href)).toEqual([base.watchUrl, base.watchUrl]);
    expect(html).toMatch(/<a [^>]*><img [^>]*><\/a>/);
    expect(links.every((l) => (l.attrs.id === 'LPNoLP') === linkId)).toBe(true);
    expect(html).toContain(`>${base.linkText}</a>`);
    expect(text).toBe(`${base.linkText}: ${base.watchUrl}`);
  });

  it.each(variants)('$client: nothing the Word engine drops (no <style>, background, flex/grid, VML, data:)', ({ client }) => {
    const { html } = buildVideoBlock({ ...base, client });
    expect(html).not.toMatch(/<style|background|display:\s*(flex|grid)|v:rect|\[if |data:|class=/i);
    const first = tags(html)[0]!;
    expect(first).toMatchObject({ name: 'table', attrs: { role: 'presentation', cellpadding: '0', cellspacing: '0', border: '0', width: '480' } });
    expect(tags(html).filter((t) => t.name === 'td').every((t) => /^#[0-9a-f]{6}$/.test(t.attrs.bgcolor ?? ''))).toBe(true);
  });

  it('uses the poster on Gmail and Apple when there is no GIF', () => {
    const img = tags(buildVideoBlock({ ...base, gifUrl: undefined, client: 'gmail' }).html).find((t) => t.name === 'img')!;
    expect(img.attrs.src).toBe(base.imageUrl);
  });

  it('escapes every user-supplied value', () => {
    const { html } = buildVideoBlock({
      ...base,
      watchUrl: 'https://x.example/v/a?b=1&c="><script>',
      alt: 'Tom & "Jerry" <b>',
      linkText: '<img src=x onerror=alert(1)>',
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(tags(html).filter((t) => t.name === 'img')).toHaveLength(1);
    expect(html).toContain('alt="Tom &amp; &quot;Jerry&quot; &lt;b&gt;"');
    expect(html).toContain('href="https://x.example/v/a?b=1&amp;c=&quot;&gt;&lt;script&gt;"');
  });

  it.each([
    ['a data: image', { imageUrl: 'data:image/png;base64,AAAA' }, /imageUrl/],
    ['a javascript: link', { watchUrl: 'javascript:alert(1)' }, /watchUrl/],
    ['a relative link', { watchUrl: '/v/abc' }, /watchUrl/],
    ['a zero width', { width: 0 }, /width/],
  ] as const)('refuses %s', (_name, patch, message) => {
    expect(() => buildVideoBlock({ ...base, ...patch })).toThrow(message);
  });
});

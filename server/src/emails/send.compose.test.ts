import { describe, expect, it } from 'vitest';
import { buildVideoBlock } from '@mvs/shared/email/video-block';
import { composeEmail, type ComposeInput } from './send.compose';
import { UnsubscribeTokens } from './unsubscribe.tokens';

const block = buildVideoBlock({ watchUrl: 'https://v.example/v/abc', imageUrl: 'https://v.example/v/abc/poster.jpg', width: 480, height: 270, alt: 'Play', linkText: 'Watch' });
const base: ComposeInput = { subject: 'Hi {{first_name}}', block, recipient: { email: 'lan@x.example', name: 'Lan Nguyen' }, unsubscribeUrl: 'https://v.example/u/tok', locale: 'en' };
const blockAt = (html: string) => html.indexOf('<table role="presentation"');

describe('composeEmail', () => {
  it('puts the block where {{video}} is, once, in HTML and text', () => {
    const m = composeEmail({ ...base, bodyHtml: '<p>Before</p>{{ video }}<p>After</p>{{video}}' });
    expect(m.html.indexOf('Before')).toBeLessThan(blockAt(m.html));
    expect(blockAt(m.html)).toBeLessThan(m.html.indexOf('After'));
    expect(m.html.match(/<table role="presentation"/g)).toHaveLength(1);
    expect(m.html).not.toContain('{{');
    expect(m.text.indexOf('Before')).toBeLessThan(m.text.indexOf('Watch: https://v.example/v/abc'));
    expect(m.text.indexOf('Watch: https://v.example/v/abc')).toBeLessThan(m.text.indexOf('After'));
  });

  it('puts the block on top without {{video}}, and turns a text body into escaped paragraphs', () => {
    const m = composeEmail({ ...base, bodyText: 'Hello {{name}} & team\n\n<b>not bold</b>' });
    expect(blockAt(m.html)).toBeLessThan(m.html.indexOf('Hello'));
    expect(m.html).toContain('<p style="margin:0 0 12px 0;">Hello Lan Nguyen &amp; team</p>');
    expect(m.html).toContain('&lt;b&gt;not bold&lt;/b&gt;');
    expect(m.text.startsWith('Watch: https://v.example/v/abc\n\nHello Lan Nguyen & team')).toBe(true);
  });

  it('fills names safely: escaped in HTML, a friendly fallback when there is no name, no header injection in the subject', () => {
    const evil = composeEmail({ ...base, subject: 'Hi {{first_name}}\r\nBcc: x@evil.example', bodyHtml: '<p>{{name}}</p>', recipient: { email: 'e@x.example', name: '<script>x</script>' } });
    expect(evil.html).toContain('<p>&lt;script&gt;x&lt;/script&gt;</p>');
    expect(evil.subject).not.toMatch(/[\r\n]/);
    const anon = composeEmail({ ...base, bodyText: 'Hi {{first_name}}', recipient: { email: 'a@x.example', name: null }, locale: 'vi' });
    expect(anon.subject).toBe('Hi bạn');
    expect(anon.text).toContain('Hi bạn');
    expect(anon.text).toContain('Hủy đăng ký: https://v.example/u/tok');
  });
});

describe('UnsubscribeTokens', () => {
  const tokens = new UnsubscribeTokens('k'.repeat(40));
  const tenant = '605f28ea-8094-4356-b8b3-09f7e2229425';
  const recipient = '0b6c1a52-6f8d-4c57-9a39-3f1f3c2d9e11';

  it('round-trips the ids and refuses tampering, other keys and garbage', () => {
    const t = tokens.sign(tenant, recipient);
    expect(tokens.verify(t)).toEqual({ tenantId: tenant, recipientId: recipient });
    const swapped = `${t.slice(0, 63)}${t[63] === '0' ? '1' : '0'}${t.slice(64)}`;
    expect(tokens.verify(swapped)).toBeNull();
    expect(new UnsubscribeTokens('other-secret-0123456789abcdef0123').verify(t)).toBeNull();
    expect(tokens.verify('abc')).toBeNull();
    expect(tokens.verify(`${t}x`)).toBeNull();
  });
});

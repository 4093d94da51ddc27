import { escapeHtml } from '@mvs/shared/email/video-block';
import { router } from '../http/app-factory';

const TEXT = {
  en: {
    title: 'Unsubscribe',
    ask: 'Stop receiving video emails sent through Mail Video at',
    button: 'Unsubscribe',
    done: 'You are unsubscribed. You will not receive further video emails at',
    invalid: 'This unsubscribe link is not valid. Copy the whole link from the email.',
  },
  vi: {
    title: 'Hủy đăng ký',
    ask: 'Ngừng nhận email video gửi qua Mail Video tới',
    button: 'Hủy đăng ký',
    done: 'Bạn đã hủy đăng ký. Bạn sẽ không nhận thêm email video tại',
    invalid: 'Liên kết hủy đăng ký không hợp lệ. Hãy sao chép toàn bộ liên kết trong email.',
  },
};

function page(body: (l: 'en' | 'vi') => string): string {
  const section = (l: 'en' | 'vi') => `<section lang="${l}">${body(l)}</section>`;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${TEXT.en.title} · ${TEXT.vi.title}</title>` +
    `<style>body{font-family:system-ui,Arial,sans-serif;max-width:560px;margin:48px auto;padding:0 16px;color:#202124}` +
    `section{margin-bottom:32px}button{font-size:16px;padding:10px 20px;border-radius:6px;border:0;background:#1a73e8;color:#fff;cursor:pointer}</style>` +
    `</head><body>${section('en')}<hr>${section('vi')}</body></html>`
  );
}

const app = router();

/**
 * GET shows a confirmation page and changes nothing (link scanners fetch every URL in a mail);
 * POST unsubscribes: the page's button and RFC 8058 one-click (body List-Unsubscribe=One-Click).
 */
export const unsubscribeRouter = app
  .get('/u/:token', async (c) => {
    c.header('Cache-Control', 'no-store');
    const r = await c.var.container.unsubscribe.lookup(c.req.param('token'));
    if (!r) return c.html(page((l) => `<p>${TEXT[l].invalid}</p>`), 404);
    const email = escapeHtml(r.email);
    if (r.unsubscribed) return c.html(page((l) => `<h1>${TEXT[l].title}</h1><p>${TEXT[l].done} ${email}.</p>`));
    const action = escapeHtml(`/u/${c.req.param('token')}`);
    return c.html(
      page(
        (l) =>
          `<h1>${TEXT[l].title}</h1><p>${TEXT[l].ask} ${email}?</p>` +
          `<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${TEXT[l].button}</button></form>`,
      ),
    );
  })
  .post('/u/:token', async (c) => {
    c.header('Cache-Control', 'no-store');
    const svc = c.var.container.unsubscribe;
    const r = await svc.lookup(c.req.param('token'));
    if (!r || !(await svc.unsubscribe(c.req.param('token')))) return c.html(page((l) => `<p>${TEXT[l].invalid}</p>`), 404);
    const email = escapeHtml(r.email);
    return c.html(page((l) => `<h1>${TEXT[l].title}</h1><p>${TEXT[l].done} ${email}.</p>`));
  });

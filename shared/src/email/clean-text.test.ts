import { describe, expect, it } from 'vitest';
import { cleanEmailText, decodeEntities, htmlToText, looksLikeHtml, stripQuotedHistory, stripSignature } from './clean-text';

describe('cleanEmailText', () => {
  const cases: { name: string; input: string; keeps: string[]; drops: string[] }[] = [
    {
      name: 'English "On … wrote:" attribution',
      input: 'Sounds good, see you Friday.\n\nOn Tue, 17 Nov 2026 at 09:12, Priya Raman <p@x.example> wrote:\n> Can we meet?',
      keeps: ['see you Friday'],
      drops: ['Priya Raman', 'Can we meet'],
    },
    {
      name: 'attribution wrapped over two lines',
      input: 'Yes please.\nOn Tue, 17 Nov 2026 at 09:12, Priya Raman <p@x.example>\nwrote:\nold text',
      keeps: ['Yes please.'],
      drops: ['old text'],
    },
    {
      name: 'Outlook "-----Original Message-----"',
      input: 'New question here?\n-----Original Message-----\nFrom: A\nSent: Monday\nold body',
      keeps: ['New question here?'],
      drops: ['old body', 'Original Message'],
    },
    {
      name: 'Vietnamese "Vào … đã viết:"',
      input: 'Em gửi lại báo giá.\n\nVào Th 4, 18 thg 11, 2026 lúc 08:05 Nguyễn Thị Lan <lan@x.vn> đã viết:\nnội dung cũ',
      keeps: ['Em gửi lại báo giá.'],
      drops: ['nội dung cũ', 'đã viết'],
    },
    {
      name: 'Vietnamese Outlook header block "Từ:/Gửi:"',
      input: 'Anh xem giúp em nhé.\n\nTừ: Trần Minh Quân <q@x.vn>\nGửi: Thứ Tư, 18 tháng 11\nĐến: Lan\nChủ đề: Căn hộ\nthư cũ',
      keeps: ['Anh xem giúp em nhé.'],
      drops: ['thư cũ', 'Trần Minh Quân'],
    },
    {
      name: 'English Outlook header block "From:/Sent:"',
      input: 'Done.\n________________________________\nFrom: Alex\nSent: today\nolder',
      keeps: ['Done.'],
      drops: ['older'],
    },
    {
      name: 'signature after "-- "',
      input: 'Call me tomorrow.\n-- \nJordan Lee | Support Lead\nConfidential notice',
      keeps: ['Call me tomorrow.'],
      drops: ['Support Lead', 'Confidential'],
    },
    {
      name: 'signature after "Best regards"',
      input: 'Please send the price by Friday.\n\nBest regards,\nPriya Raman\nHead of Operations',
      keeps: ['Please send the price by Friday.'],
      drops: ['Head of Operations', 'Best regards'],
    },
    {
      name: 'signature after "Trân trọng"',
      input: 'Anh vui lòng gửi hợp đồng trước thứ Sáu.\n\nTrân trọng,\nPhạm Hoàng Long\nTechViet',
      keeps: ['vui lòng gửi hợp đồng'],
      drops: ['TechViet', 'Trân trọng'],
    },
    {
      name: 'short "Thanks," closing with a name only',
      input: 'Can we talk at 3 pm?\nThanks,\nSam',
      keeps: ['Can we talk at 3 pm?'],
      drops: ['Sam'],
    },
    {
      name: 'a thank-you line followed by real content stays',
      input: 'Thanks!\nThe contract is signed and we start on January 4 with 12 agents.\nWho is our contact?\nOne more line\nAnd another',
      keeps: ['Thanks!', 'January 4', 'Who is our contact?'],
      drops: [],
    },
    {
      name: 'mobile footer',
      input: 'Ok, confirmed.\n\nSent from my iPhone',
      keeps: ['Ok, confirmed.'],
      drops: ['iPhone'],
    },
    {
      name: 'HTML with entities, list and a Gmail quote',
      input: '<div dir="ltr"><p>Hi&nbsp;Sam,</p><ul><li>price &amp; terms</li><li>start date</li></ul></div>' +
        '<div class="gmail_quote"><div>On Mon, Sam wrote:</div><blockquote>old</blockquote></div>',
      keeps: ['Hi Sam,', '- price & terms', '- start date'],
      drops: ['old', 'wrote'],
    },
    {
      name: 'HTML signature after "-- <br>"',
      input: '<p>Thanks!<br>Jordan</p><div style="color:#888">-- <br>Jordan Lee | BrightDesk<br>Confidential.</div>',
      keeps: ['Thanks!', 'Jordan'],
      drops: ['BrightDesk', 'Confidential'],
    },
  ];
  for (const c of cases) {
    it(`handles ${c.name}`, () => {
      const out = cleanEmailText(c.input);
      for (const k of c.keeps) expect(out).toContain(k);
      for (const d of c.drops) expect(out).not.toContain(d);
    });
  }

  it('drops ">"-quoted lines but keeps the rest', () => {
    expect(stripQuotedHistory('Yes.\n> old line\nAlso this.')).toBe('Yes.\nAlso this.');
  });

  it('keeps a body without signature or history unchanged', () => {
    expect(stripSignature('Line one.\nLine two?')).toBe('Line one.\nLine two?');
  });

  it('decodes numeric and named entities', () => {
    expect(decodeEntities('Tr&#7847;n &amp; &#x4C;an &hellip;')).toBe('Trần & Lan …');
  });

  it('removes style and script contents from HTML', () => {
    expect(htmlToText('<style>p{color:red}</style><script>x()</script><p>Body</p>')).toBe('Body');
  });

  it('tells HTML from plain text', () => {
    expect(looksLikeHtml('<p>Hi</p>')).toBe(true);
    expect(looksLikeHtml('5 < 6 and 7 > 3')).toBe(false);
    expect(looksLikeHtml('Priya <p@x.example>')).toBe(false);
  });
});

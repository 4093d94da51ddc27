/**
 * Turns an email body (HTML or text) into the plain text of the latest message only: tags and entities
 * decoded, quoted history and signatures removed. Pure; used by the server (summaries, scripts) and the add-in.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', euro: '€', pound: '£', copy: '©', reg: '®', middot: '·', bull: '•',
};

/** Decodes named (common) and numeric HTML entities. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return NAMED_ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Quoted-reply containers that mail clients put in HTML (Gmail, Outlook, Apple Mail, Thunderbird). */
const QUOTE_CONTAINER_RE =
  /<(div|blockquote)\b[^>]*(class="[^"]*(gmail_quote|moz-cite-prefix)[^"]*"|id="(divRplyFwdMsg|appendonsend)"|type="cite")[^>]*>[\s\S]*$/i;

/** Converts an HTML body to text with one line per block, list items as "- ". */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(QUOTE_CONTAINER_RE, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/?(p|div|li|ul|ol|tr|table|h[1-6]|blockquote|section|article|header|footer)\b[^>]*>/gi, '\n')
    .replace(/<(td|th)\b[^>]*>/gi, ' ')
    .replace(/<[^>]+>/g, '');
  return normalizeWhitespace(decodeEntities(text));
}

function normalizeWhitespace(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\t ]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A line that opens quoted history: "On … wrote:", "Vào … đã viết:", "-----Original Message-----", Outlook's rule. */
const QUOTE_OPENERS: RegExp[] = [
  /^on\b.{0,300}\bwrote:?$/i,
  /^vào\s.{0,300}\sđã viết:?$/i,
  /^-{2,}\s*(original message|tin nhắn gốc|thư gốc)\s*-{2,}$/i,
  /^_{10,}$/,
  /^(le|am|el)\b.{0,300}\b(a écrit|schrieb|escribió)\s*:$/i,
];

const HEADER_FROM = /^(from|từ|người gửi)\s*:/i;
const HEADER_OTHER = /^(sent|date|to|cc|subject|gửi|ngày|đến|tới|chủ đề|tiêu đề)\s*:/i;

/** Cuts the text at the first quoted-history marker and drops ">"-quoted lines. */
export function stripQuotedHistory(text: string): string {
  const lines = text.split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`.trim();
    if (QUOTE_OPENERS.some((re) => re.test(line))) { end = i; break; }
    // "On Tue, 17 Nov 2026 … Priya <p@x>\nwrote:" — clients wrap the attribution line.
    if (/^(on|vào)\b/i.test(line) && QUOTE_OPENERS.slice(0, 2).some((re) => re.test(joined))) { end = i; break; }
    if (HEADER_FROM.test(line) && lines.slice(i + 1, i + 5).some((l) => HEADER_OTHER.test(l.trim()))) { end = i; break; }
  }
  return lines
    .slice(0, end)
    .filter((l) => !/^\s*>/.test(l))
    .join('\n')
    .trim();
}

/** Closings after which only the signature follows. */
const STRONG_CLOSINGS =
  /^(best regards|kind regards|warm regards|warmest regards|regards|best wishes|best|cheers|sincerely|yours sincerely|yours truly|respectfully|trân trọng|thân mến|thân ái|kính thư|trân trọng cảm ơn)[\s,.!]*$/i;
/** Short thank-you lines count as a closing only when just a name-sized tail follows. */
const WEAK_CLOSINGS = /^(thanks|thank you|many thanks|thanks again|thx|cảm ơn|xin cảm ơn|em cảm ơn|cảm ơn (anh|chị|em|bạn))[\s,.!]*$/i;
const MOBILE_FOOTER = /^(sent from my \w+|get outlook for \w+|gửi từ .{0,40}của tôi)/i;

/** Removes the signature: after "-- ", a closing like "Best regards"/"Trân trọng", or a mobile footer. */
export function stripSignature(text: string): string {
  const lines = text.split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.trim();
    if (raw === '-- ' || line === '--' || line === '—' || MOBILE_FOOTER.test(line)) { end = i; break; }
    if (STRONG_CLOSINGS.test(line) && i > 0) { end = i; break; }
    if (WEAK_CLOSINGS.test(line) && i > 0) {
      const tail = lines.slice(i + 1).filter((l) => l.trim());
      if (tail.length <= 3 && tail.every((l) => l.trim().split(/\s+/).length <= 6)) { end = i; break; }
    }
  }
  return lines.slice(0, end).join('\n').trim();
}

/** True when the string looks like HTML rather than plain text. */
export function looksLikeHtml(s: string): boolean {
  // A tag name must be followed by whitespace, "/" or ">" so "<p@x.example>" stays an address.
  return /<\/?(html|body|p|div|br|span|table|ul|ol|li|b|i|strong|em|a|font)(\s[^<>]*)?\/?>/i.test(s);
}

/** The latest message's own words: HTML stripped, quoted history and signature removed. */
export function cleanEmailText(body: string, opts: { html?: boolean } = {}): string {
  const isHtml = opts.html ?? looksLikeHtml(body);
  // "-- " must keep its trailing space to be recognised, so mark it before whitespace is normalised.
  const text = isHtml ? htmlToText(body.replace(/(^|>|\n)\s*--\s*(<br\s*\/?>|\n)/gi, '$1\n--\n')) : body.replace(/\r\n?/g, '\n');
  return stripSignature(stripQuotedHistory(normalizeWhitespace(text)));
}

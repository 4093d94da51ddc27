/**
 * Template variables: `{{first_name}}` and `{{company|your team}}` (a fallback after the bar). Used in
 * campaign scripts, subjects, email bodies and poster captions, by the server and by the portal's preview.
 * Names are lower-case letters, digits and underscores; whitespace inside the braces is ignored.
 */

/** One variable occurrence in a text. */
export interface TemplateVariable {
  name: string;
  /** The text after `|`, or null when the variable has no fallback. */
  fallback: string | null;
  /** Offsets of the whole `{{…}}` token in the text. */
  start: number;
  end: number;
}

export type TemplateValues = Readonly<Record<string, string | null | undefined>>;

export interface RenderedTemplate {
  text: string;
  /** Names that had neither a value nor a fallback (each once, in order of first use). */
  missing: string[];
}

const TOKEN = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\|([^{}]*))?\}\}/g;

/** Normalises a variable name as used in templates and contact columns ("First Name" → "first_name"). */
export function variableName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Every variable occurrence in `text`, in order. */
export function templateVariables(text: string): TemplateVariable[] {
  const out: TemplateVariable[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const fallback = m[2] === undefined ? null : m[2].trim();
    out.push({ name: m[1]!.toLowerCase(), fallback, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Names a text needs a value for: variables used at least once without a fallback. */
export function requiredVariables(text: string): string[] {
  return [...new Set(templateVariables(text).filter((v) => v.fallback === null).map((v) => v.name))];
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * Fills the variables of `text` from `values` (keys by variableName); a blank value counts as absent, so
 * the fallback is used. A variable with neither is left out of the text and reported in `missing`.
 */
export function renderTemplate(text: string, values: TemplateValues): RenderedTemplate {
  const missing: string[] = [];
  const rendered = text.replace(TOKEN, (_m, rawName: string, rawFallback: string | undefined) => {
    const name = rawName.toLowerCase();
    const value = values[name];
    if (present(value)) return value.trim();
    if (rawFallback !== undefined) return rawFallback.trim();
    if (!missing.includes(name)) missing.push(name);
    return '';
  });
  // A removed variable must not leave "Hi , thanks" or doubled spaces behind.
  const text2 = missing.length ? rendered.replace(/[ \t]+([,.!?;:])/g, '$1').replace(/[ \t]{2,}/g, ' ') : rendered;
  return { text: text2, missing };
}

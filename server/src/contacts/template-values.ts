import type { TemplateValues } from '@mvs/shared/templates/variables';
import type { ContactRow } from './contacts.repository';

type ContactForValues = Pick<ContactRow, 'email' | 'first_name' | 'last_name' | 'company' | 'title' | 'variables'>;

/**
 * The template values of a contact: its custom variables (keyed by variableName of their column), then the
 * standard fields, which win over a custom column of the same name. `full_name` is first + last name when
 * the file had no column of that name. Blank values are left out, so a `{{name|fallback}}` falls back.
 */
export function templateValuesFor(contact: ContactForValues): TemplateValues {
  const out: Record<string, string> = {};
  const vars = contact.variables && typeof contact.variables === 'object' ? contact.variables : {};
  for (const [k, v] of Object.entries(vars)) if (typeof v === 'string' && v.trim()) out[k] = v;
  const put = (k: string, v: string | null) => {
    if (v && v.trim()) out[k] = v;
  };
  put('email', contact.email);
  put('first_name', contact.first_name);
  put('last_name', contact.last_name);
  put('company', contact.company);
  put('title', contact.title);
  if (!out.full_name) {
    const full = [contact.first_name, contact.last_name].filter((s) => s && s.trim()).join(' ');
    put('full_name', full);
  }
  return out;
}

/**
 * A contact's `pronunciation` as the `videos.options.pronunciations` map the speech layer applies.
 * Two forms: pairs `Nguyễn=Nwin; Minh=Ming` (`;` or `,` between pairs, `=` or `:` inside), or plain
 * text, which says how to pronounce the contact's first name (the name templates greet with).
 */
export function contactPronunciations(contact: Pick<ContactRow, 'first_name' | 'pronunciation'>): Record<string, string> {
  const raw = contact.pronunciation?.trim();
  if (!raw) return {};
  if (/[=:]/.test(raw)) {
    const out: Record<string, string> = {};
    for (const pair of raw.split(/[;,]/)) {
      const m = /^\s*([^=:]+?)\s*[=:]\s*(.+?)\s*$/.exec(pair);
      if (m) out[m[1]!] = m[2]!;
    }
    return out;
  }
  const first = contact.first_name?.trim();
  return first ? { [first]: raw } : {};
}

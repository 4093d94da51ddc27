import { splitFullName } from '@mvs/shared/contacts/columns';
import { CONTACT_LIMITS, normalizeEmail, type ContactField, type ImportRefusal } from '@mvs/shared/schemas/contacts';
import type { ContactUpsert } from '../contacts.repository';
import type { ColumnPlan } from './column-plan';

/** A contact read from one row, with its spreadsheet row number. */
export type RowContact = ContactUpsert & { row: number };
export type RowResult = { kind: 'blank' } | { kind: 'contact'; contact: RowContact } | { kind: 'refused'; refusals: ImportRefusal[] };

// Spaces, no-break spaces, zero-width spaces and BOMs at either end (\s already covers U+00A0 and U+FEFF).
const EDGE_SPACE = /^(?:\s|\u200B)+|(?:\s|\u200B)+$/g;

/** A cell as stored: NFC (NFD input from macOS becomes NFC), trimmed, Excel's `="0123"` text guard unwrapped. */
export function cleanCell(raw: string): string {
  const s = raw.normalize('NFC').replace(EDGE_SPACE, '');
  const guarded = /^="(.*)"$/s.exec(s);
  return guarded ? guarded[1]! : s;
}

const cut = (s: string) => (s.length > 100 ? `${s.slice(0, 100)}…` : s);
const FIELD_MAX: Record<Exclude<ContactField, 'email'>, number> = {
  first_name: CONTACT_LIMITS.maxFieldChars,
  last_name: CONTACT_LIMITS.maxFieldChars,
  company: CONTACT_LIMITS.maxFieldChars,
  title: CONTACT_LIMITS.maxFieldChars,
  pronunciation: CONTACT_LIMITS.maxFieldChars,
};

/**
 * Reads one data row into a contact, or says why it is refused (every problem of the row, each with its
 * column). `seen` maps the emails of rows already accepted to their row, for duplicates within the file.
 */
export function readRow(record: readonly string[], row: number, plan: ColumnPlan, seen: Map<string, number>): RowResult {
  const cells = record.map(cleanCell);
  if (cells.every((c) => c === '')) return { kind: 'blank' };
  const refusals: ImportRefusal[] = [];
  const refuse = (column: string | null, reason: ImportRefusal['reason'], message: string, value?: string, extra: Partial<ImportRefusal> = {}) =>
    refusals.push({ row, column, reason, message, ...(value !== undefined ? { value: cut(value) } : {}), ...extra });

  const extra = cells.slice(plan.columns.length).filter((c) => c !== '');
  if (extra.length) {
    refuse(null, 'extra_values', `Row ${row} has ${cells.length} values but the header has ${plan.columns.length} columns; a value probably holds an unquoted delimiter`, extra[0]);
  }
  const contact: RowContact = { row, email: '' };
  const variables: Record<string, string> = {};
  let fullName: string | null = null;
  for (const col of plan.columns) {
    const v = cells[col.index] ?? '';
    if (v.includes('\uFFFD')) {
      refuse(col.header, 'bad_encoding', `"${col.header}" has characters that are not in the file's encoding; save the file as "CSV UTF-8" and import it again`, v);
      continue;
    }
    if (col.ignored || v === '') continue;
    if (col.field === 'email') continue;
    if (col.field) {
      if (v.length > FIELD_MAX[col.field]) {
        refuse(col.header, 'too_long', `"${col.header}" has ${v.length} characters; at most ${FIELD_MAX[col.field]} are kept`, v);
        continue;
      }
      contact[col.field] = v;
    } else if (col.variable) {
      if (v.length > CONTACT_LIMITS.maxVariableChars) {
        refuse(col.header, 'too_long', `"${col.header}" has ${v.length} characters; at most ${CONTACT_LIMITS.maxVariableChars} are kept`, v);
        continue;
      }
      variables[col.variable] = v;
      if (col.fullName && fullName === null) fullName = v;
    }
  }

  const emailCol = plan.columns[plan.emailIndex]!;
  const rawEmail = cells[plan.emailIndex] ?? '';
  if (!rawEmail.includes('\uFFFD')) {
    const email = rawEmail === '' ? null : normalizeEmail(rawEmail);
    if (rawEmail === '') refuse(emailCol.header, 'missing_email', `Row ${row} has no email address`);
    else if (rawEmail.length > CONTACT_LIMITS.maxEmailChars) refuse(emailCol.header, 'too_long', `The address has ${rawEmail.length} characters; at most ${CONTACT_LIMITS.maxEmailChars} are allowed`, rawEmail);
    else if (!email) refuse(emailCol.header, 'bad_email', `"${cut(rawEmail)}" is not an email address`, rawEmail);
    else if (seen.has(email)) {
      refuse(emailCol.header, 'duplicate', `${email} is already on row ${seen.get(email)}; the first row was kept`, rawEmail, { duplicate_of: seen.get(email)! });
    } else contact.email = email;
  }
  if (refusals.length) return { kind: 'refused', refusals };

  if (fullName && !plan.columns.some((c) => c.field === 'first_name' || c.field === 'last_name')) {
    const split = splitFullName(fullName);
    if (split.first_name) contact.first_name = split.first_name.slice(0, CONTACT_LIMITS.maxFieldChars);
    if (split.last_name) contact.last_name = split.last_name.slice(0, CONTACT_LIMITS.maxFieldChars);
  }
  if (Object.keys(variables).length) contact.variables = variables;
  seen.set(contact.email, row);
  return { kind: 'contact', contact };
}

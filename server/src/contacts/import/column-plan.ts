import { fieldForHeader, isFullNameHeader, variableForHeader } from '@mvs/shared/contacts/columns';
import { CONTACT_FIELDS, CONTACT_LIMITS, type ContactField } from '@mvs/shared/schemas/contacts';
import { AppError } from '../../errors';

/** Where one column of the file goes. */
export interface PlannedColumn {
  index: number;
  header: string;
  field: ContactField | null;
  /** The custom variable the column is kept as (also set for a full-name column: `full_name`). */
  variable: string | null;
  ignored: boolean;
  /** The whole name: split into first/last name when the file has no column for those. */
  fullName: boolean;
}

export interface ColumnPlan {
  columns: PlannedColumn[];
  emailIndex: number;
  /** True when the first row is data (a bare list of addresses), not a header. */
  headerless: boolean;
}

const isField = (s: string): s is ContactField => (CONTACT_FIELDS as readonly string[]).includes(s);
const VARIABLE = /^[a-z][a-z0-9_]{0,63}$/;

/** Parses the `mapping` form field: a JSON object header → field, variable or "" (ignore). */
export function parseMapping(raw: string | undefined): Map<string, string> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppError(422, 'validation_failed', 'mapping: not valid JSON; send an object such as {"E-mail":"email","Tên":"first_name"}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError(422, 'validation_failed', 'mapping: send an object of header → field or variable name');
  }
  const out = new Map<string, string>();
  for (const [header, target] of Object.entries(parsed as Record<string, unknown>)) {
    if (target !== null && typeof target !== 'string') throw new AppError(422, 'validation_failed', `mapping["${header}"]: the target must be a string`);
    const t = (target ?? '').trim();
    if (t !== '' && t !== 'full_name' && !isField(t) && !VARIABLE.test(t)) {
      throw new AppError(
        422,
        'validation_failed',
        `mapping["${header}"]: "${t}" is neither a field (${CONTACT_FIELDS.join(', ')}) nor a variable name (lower-case letters, digits, _)`,
      );
    }
    out.set(header.normalize('NFC').trim(), t);
  }
  return out;
}

/**
 * Maps the header row to fields and variables: an explicit mapping first, then the header's meaning
 * (fieldForHeader), else a custom variable. The first column of a field wins; later ones are kept as
 * variables. A file whose first row has an address but no email header is a bare list without header.
 */
export function planColumns(firstRow: readonly string[], mapping: Map<string, string> | undefined, normalizedEmail: (s: string) => string | null): ColumnPlan {
  const headers = firstRow.map((h) => h.normalize('NFC').trim());
  if (headers.length > CONTACT_LIMITS.maxColumns) {
    throw new AppError(422, 'validation_failed', `The file has ${headers.length} columns; at most ${CONTACT_LIMITS.maxColumns} can be imported. Remove the columns you do not need`);
  }
  if (mapping) {
    const lower = new Map(headers.map((h) => [h.toLowerCase(), h]));
    for (const h of mapping.keys()) {
      if (!headers.includes(h) && !lower.has(h.toLowerCase())) {
        throw new AppError(422, 'validation_failed', `mapping names the column "${h}", which the file does not have`, { headers });
      }
    }
  }
  const explicit = (h: string): string | undefined => {
    if (!mapping) return undefined;
    if (mapping.has(h)) return mapping.get(h);
    for (const [k, v] of mapping) if (k.toLowerCase() === h.toLowerCase()) return v;
    return undefined;
  };

  const taken = new Set<ContactField>();
  const variables = new Set<string>(CONTACT_FIELDS);
  const uniqueVariable = (v: string) => {
    let name = v;
    for (let n = 2; variables.has(name); n++) name = `${v}_${n}`;
    variables.add(name);
    return name;
  };
  const columns: PlannedColumn[] = headers.map((header, index) => ({ index, header, field: null, variable: null, ignored: false, fullName: false }));

  // Explicit targets first, so an automatic guess never takes a field the mapping assigned elsewhere.
  for (const col of columns) {
    const t = explicit(col.header);
    if (t === undefined) continue;
    if (t === '') col.ignored = true;
    else if (t === 'full_name') col.fullName = true;
    else if (isField(t)) {
      if (taken.has(t)) throw new AppError(422, 'validation_failed', `mapping sends two columns to ${t}; choose one`);
      taken.add(t);
      col.field = t;
    } else {
      if (variables.has(t)) throw new AppError(422, 'validation_failed', `mapping uses the variable "${t}" twice (or it is a field name)`);
      variables.add(t);
      col.variable = t;
    }
  }
  for (const col of columns) {
    if (col.ignored || col.field || col.variable || col.fullName || explicit(col.header) !== undefined) continue;
    const guess = fieldForHeader(col.header);
    if (guess && !taken.has(guess)) {
      taken.add(guess);
      col.field = guess;
    } else if (isFullNameHeader(col.header)) col.fullName = true;
  }
  for (const col of columns) {
    if (col.fullName) col.variable = uniqueVariable('full_name');
    else if (!col.ignored && !col.field && !col.variable) col.variable = uniqueVariable(variableForHeader(col.header, col.index));
  }

  let emailIndex = columns.findIndex((c) => c.field === 'email');
  let headerless = false;
  if (emailIndex < 0) {
    const found = headers.findIndex((h) => normalizedEmail(h) !== null);
    if (found < 0 || mapping) {
      throw new AppError(422, 'missing_email_column', `No column holds email addresses; name one "email" or send a mapping such as {"${headers[0] ?? 'Column 1'}":"email"}`, {
        headers,
      });
    }
    // A bare list of addresses: the first row is data, columns have no names.
    headerless = true;
    emailIndex = found;
    for (const col of columns) {
      col.header = `Column ${col.index + 1}`;
      col.field = col.index === found ? 'email' : null;
      col.variable = col.index === found ? null : `column_${col.index + 1}`;
      col.fullName = false;
    }
  }
  return { columns, emailIndex, headerless };
}

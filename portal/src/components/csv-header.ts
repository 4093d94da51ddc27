/** The header row of a CSV file as the importer will read it: encoding by BOM, delimiter sniffed, quotes honoured. */
export interface CsvHeader {
  headers: string[];
  delimiter: ',' | ';' | '\t' | '|';
  /** The first data rows (for a sample preview), at most 3. */
  sample: string[][];
}

const DELIMS = [',', ';', '\t', '|'] as const;

function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits records and fields (RFC 4180 quotes, newlines inside quotes); stops after `maxRecords`. */
function records(text: string, delim: string, maxRecords: number): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && out.length < maxRecords; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delim) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f.trim() !== '')) out.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (out.length < maxRecords && (field || row.length)) {
    row.push(field);
    if (row.some((f) => f.trim() !== '')) out.push(row);
  }
  return out;
}

/** Reads the start of a CSV file (64 KB) for its header and a few rows. */
export function parseCsvHeader(bytes: Uint8Array): CsvHeader {
  const text = decode(bytes.subarray(0, 64 * 1024)).normalize('NFC');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const outside = firstLine.replace(/"[^"]*"/g, '');
  const delimiter = [...DELIMS].sort((a, b) => outside.split(b).length - outside.split(a).length)[0]!;
  const rows = records(text, delimiter, 4);
  return { headers: (rows[0] ?? []).map((h) => h.trim()), delimiter, sample: rows.slice(1) };
}

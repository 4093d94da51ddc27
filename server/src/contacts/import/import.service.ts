import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import { CONTACT_LIMITS, IMPORT_ENCODINGS, normalizeEmail, type ImportRefusal, type ImportReport } from '@mvs/shared/schemas/contacts';
import type { AuditRepository } from '../../audit/audit.repository';
import { AppError } from '../../errors';
import type { Principal } from '../../http/env';
import type { Logger } from '../../logger';
import type { ContactsRepository, ListRow } from '../contacts.repository';
import { parseMapping, planColumns, type ColumnPlan } from './column-plan';
import { sniffDelimiter, type Delimiter } from './delimiter';
import { DecodeStream, sniffEncoding, type ImportEncoding } from './encoding';
import { readRow, type RowContact } from './rows';
import { receiveUpload } from './upload';

/** Rows per upsert: one short transaction each (PGlite is one session; never hold it across slow work). */
export const IMPORT_BATCH = 500;
const HEAD_BYTES = 64 * 1024;
/** A record larger than this is a quote left open (the rest of the file read as one value). */
const MAX_RECORD_BYTES = 1024 * 1024;
const DELIMITERS: Record<string, Delimiter> = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' };

export interface ImportOptions {
  listId?: string;
  listName?: string;
  mapping?: Map<string, string>;
  encoding?: ImportEncoding;
  delimiter?: Delimiter;
}

/** The outcome: 200 with the report, or 422 no_valid_rows when no row could be imported (the report in details). */
export interface ImportOutcome {
  status: 200 | 422;
  report: ImportReport;
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * POST /contacts/import: streams the upload to a temp file, then streams that through decoding, csv-parse
 * and validation into batched upserts. Memory stays flat whatever the file's size; every row that is not
 * imported is in the report with its row number, column and reason.
 */
export class ContactImportService {
  constructor(
    private readonly repo: ContactsRepository,
    private readonly audit: AuditRepository,
    private readonly log: Logger,
    private readonly tmpRoot: string = os.tmpdir(),
  ) {}

  async importRequest(p: Principal, req: Request): Promise<ImportOutcome> {
    await fsp.mkdir(this.tmpRoot, { recursive: true });
    const dir = await fsp.mkdtemp(path.join(this.tmpRoot, 'mvs-import-'));
    try {
      const upload = await receiveUpload(req, { fileField: 'file', maxBytes: CONTACT_LIMITS.maxImportBytes, dir });
      const opts = this.options(upload.fields);
      if (!upload.file) {
        const sent = upload.otherFiles.length ? ` (the request had a file in "${upload.otherFiles[0]}")` : '';
        throw new AppError(422, 'missing_file', `Send the CSV in the multipart field "file"${sent}`);
      }
      if (upload.file.bytes === 0) throw new AppError(422, 'empty_file', 'The file is empty; export your contacts again and upload a CSV with a header row');
      return await this.importFile(p, upload.file.path, opts);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  private options(fields: Record<string, string>): ImportOptions {
    const listId = fields.list_id?.trim() || undefined;
    const listName = fields.list_name?.normalize('NFC').trim() || undefined;
    if (listId && listName) throw new AppError(422, 'validation_failed', 'Send list_id or list_name, not both');
    if (listId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(listId)) {
      throw new AppError(422, 'validation_failed', 'list_id: not a list id (a UUID)');
    }
    if (listName && listName.length > 200) throw new AppError(422, 'validation_failed', 'list_name: at most 200 characters');
    const encoding = fields.encoding?.trim().toLowerCase() || undefined;
    if (encoding && !(IMPORT_ENCODINGS as readonly string[]).includes(encoding)) {
      throw new AppError(422, 'validation_failed', `encoding: one of ${IMPORT_ENCODINGS.join(', ')}`);
    }
    const delimiter = fields.delimiter?.trim().toLowerCase() || undefined;
    if (delimiter && !DELIMITERS[delimiter]) throw new AppError(422, 'validation_failed', 'delimiter: one of comma, semicolon, tab, pipe');
    return {
      listId,
      listName,
      mapping: parseMapping(fields.mapping),
      encoding: encoding as ImportEncoding | undefined,
      delimiter: delimiter ? DELIMITERS[delimiter] : undefined,
    };
  }

  /** Imports a CSV file on disk for the principal's tenant. */
  async importFile(p: Principal, file: string, opts: ImportOptions): Promise<ImportOutcome> {
    const started = performance.now();
    const tenantId = p.tenantId;
    let list: ListRow | undefined;
    let listCreated = false;
    if (opts.listId) {
      list = await this.repo.getList(tenantId, opts.listId);
      if (!list) throw new AppError(404, 'not_found', `List ${opts.listId}: not found`);
    }

    const head = await readHead(file);
    const sniffed = sniffEncoding(head, opts.encoding);
    const headText = new TextDecoder(sniffed.encoding).decode(head.subarray(sniffed.bomBytes));
    if (headText.trim() === '') throw new AppError(422, 'empty_file', 'The file has no text; export your contacts again and upload a CSV with a header row');
    const delimiter = opts.delimiter ?? sniffDelimiter(headText);

    const source = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
    const decode = new DecodeStream(sniffed);
    const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, info: true, max_record_size: MAX_RECORD_BYTES, bom: false, skip_empty_lines: false });
    source.on('error', (e) => parser.destroy(e));
    decode.on('error', (e) => parser.destroy(e));
    source.pipe(decode).pipe(parser);

    const refused: ImportRefusal[] = [];
    const seen = new Map<string, number>();
    const counts = { imported: 0, updated: 0, unchanged: 0, added: 0, total: 0, blank: 0 };
    let plan: ColumnPlan | undefined;
    let batch: RowContact[] = [];
    let lastRow = 0;

    const ensureList = async (): Promise<string | null> => {
      if (list) return list.id;
      if (!opts.listName) return null;
      const made = await this.repo.insertList(tenantId, { name: opts.listName, created_by: p.userId });
      list = made ?? (await this.repo.listByName(tenantId, opts.listName));
      if (!list) throw new Error(`list ${opts.listName} vanished while importing`);
      listCreated ||= made !== undefined;
      return list.id;
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const suppressed = await this.repo.suppressed(tenantId, rows.map((r) => r.email));
      const keep = rows.filter((r) => {
        const why = suppressed.get(r.email);
        if (!why) return true;
        const col = plan!.columns[plan!.emailIndex]!.header;
        refused.push({ row: r.row, column: col, reason: 'suppressed', message: `${r.email} is on the suppression list (${why}); it is never imported or emailed`, value: r.email });
        return false;
      });
      if (keep.length === 0) return;
      const listId = await ensureList();
      const result = await this.repo.upsertBatch(tenantId, keep.map(({ row: _row, ...c }) => c), listId);
      counts.imported += result.inserted;
      counts.updated += result.updated;
      counts.unchanged += result.unchanged;
      counts.added += result.addedToList;
    };

    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
        const row = info.records;
        lastRow = row;
        if (!plan) {
          plan = planColumns(record, opts.mapping, normalizeEmail);
          if (!plan.headerless) continue;
        }
        const r = readRow(record, row, plan, seen);
        if (r.kind === 'blank') {
          counts.blank++;
          continue;
        }
        counts.total++;
        if (r.kind === 'refused') refused.push(...r.refusals);
        else batch.push(r.contact);
        if (batch.length >= IMPORT_BATCH) await flush();
      }
    } catch (e) {
      if (!(e instanceof CsvError)) throw e;
      // An unclosed quote (or a runaway record) swallows the rest of the file: say where reading stopped.
      const row = lastRow + 1;
      refused.push({
        row,
        column: null,
        reason: 'malformed_row',
        message:
          e.code === 'CSV_QUOTE_NOT_CLOSED' || e.code === 'CSV_MAX_RECORD_SIZE'
            ? `Row ${row} opens a quoted value that is never closed, so the file could not be read from row ${row} on; close the quote and import again (rows already imported are updated, never duplicated)`
            : `Row ${row} cannot be read (${e.message}); the file could not be read from there on`,
      });
      counts.total++;
    } finally {
      source.destroy();
    }
    if (!plan) throw new AppError(422, 'empty_file', 'The file has no rows; export your contacts again and upload a CSV with a header row');
    await flush();

    refused.sort((a, b) => a.row - b.row);
    const report: ImportReport = {
      list_id: list?.id ?? null,
      list_name: list?.name ?? opts.listName ?? null,
      list_created: listCreated,
      imported: counts.imported,
      updated: counts.updated,
      unchanged: counts.unchanged,
      added_to_list: counts.added,
      refused,
      total_rows: counts.total,
      blank_rows: counts.blank,
      encoding: sniffed.encoding,
      delimiter,
      columns: plan.columns.map((c) => ({ index: c.index, header: c.header, field: c.field, variable: c.variable, ignored: c.ignored })),
      duration_ms: Math.round(performance.now() - started),
    };
    const ok = counts.imported + counts.updated + counts.unchanged > 0;
    await this.audit.record({
      tenantId,
      userId: p.userId,
      action: 'contacts.import',
      targetType: 'contact_list',
      targetId: list?.id,
      details: { imported: report.imported, updated: report.updated, unchanged: report.unchanged, refused: refused.length, total_rows: report.total_rows },
    });
    this.log.info({ tenantId, ...counts, refused: refused.length, ms: report.duration_ms }, 'contacts imported');
    return { status: ok ? 200 : 422, report };
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../../test/harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};
const bom = (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);

describeEachBackend('POST /api/v1/contacts/import', (backend) => {
  let env: TestEnv;
  let token: string;
  let tenantId: string;

  const upload = async (bytes: Buffer | string, fields: Record<string, string> = {}, name = 'contacts.csv', as = token) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set('file', new Blob([typeof bytes === 'string' ? Buffer.from(bytes) : new Uint8Array(bytes)], { type: 'text/csv' }), name);
    const res = await env.request('/api/v1/contacts/import', { method: 'POST', body: form, token: as });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const contact = async (email: string) =>
    env.container.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('email', '=', email).executeTakeFirst();

  beforeAll(async () => {
    env = await createTestEnv(backend);
    token = await env.login(DEMO.user.email, DEMO.user.password);
    tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', DEMO.tenant.domain).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await env?.close();
  });

  it('imports a UTF-8 file with BOM, maps real headers, keeps other columns as variables and creates the list by name', async () => {
    const csv = bom('Email Address,First Name,Last Name,Company,Job Title,Thành phố\r\nanna@example.com,Anna,Smith,Acme,CEO,Đà Nẵng\r\nBOB@Example.com,Bob,,Initech,,\r\n');
    const { status, body } = await upload(csv, { list_name: 'Trade fair' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ imported: 2, updated: 0, refused: [], total_rows: 2, encoding: 'utf-8', delimiter: ',', list_name: 'Trade fair', list_created: true, added_to_list: 2 });
    expect(body.columns.map((c: Json) => c.field ?? c.variable)).toEqual(['email', 'first_name', 'last_name', 'company', 'title', 'thanh_pho']);
    expect(await contact('anna@example.com')).toMatchObject({ first_name: 'Anna', last_name: 'Smith', company: 'Acme', title: 'CEO', variables: { thanh_pho: 'Đà Nẵng' } });
    expect(await contact('bob@example.com')).toMatchObject({ first_name: 'Bob', last_name: null });
    const list = await env.request(`/api/v1/lists/${body.list_id}`, { token });
    expect(((await list.json()) as Json).member_count).toBe(2);

    // Same name again: the same list, not a second one; unchanged rows are counted as such.
    const again = await upload(csv, { list_name: 'trade FAIR' });
    expect(again.body).toMatchObject({ list_id: body.list_id, list_created: false, imported: 0, updated: 0, unchanged: 2, added_to_list: 0 });
  });

  it('reads Excel "Unicode text": UTF-16 LE with BOM, tab-separated, Vietnamese headers', async () => {
    const text = 'E-mail\tTên\tHọ\tCông ty\tChức vụ\r\nminh@congty.vn\tMinh\tNguyễn Văn\tCông ty Cổ phần Sao Mai\tGiám đốc\r\n';
    const { status, body } = await upload(utf16le(text), {}, 'danh-ba.txt');
    expect(status).toBe(200);
    expect(body).toMatchObject({ imported: 1, encoding: 'utf-16le', delimiter: '\t' });
    expect(await contact('minh@congty.vn')).toMatchObject({ first_name: 'Minh', last_name: 'Nguyễn Văn', company: 'Công ty Cổ phần Sao Mai', title: 'Giám đốc' });
  });

  it('reads UTF-16 BE with BOM', async () => {
    const { status, body } = await upload(utf16be('email,first_name\nbe@example.com,Bảo\n'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ imported: 1, encoding: 'utf-16be' });
    expect((await contact('be@example.com'))?.first_name).toBe('Bảo');
  });

  it('sniffs semicolons (European Excel) and keeps quoted semicolons inside values', async () => {
    const { body } = await upload('E-Mail;Vorname;Firma\nklaus@example.de;Klaus;"Müller; Söhne GmbH"\n');
    expect(body).toMatchObject({ imported: 1, delimiter: ';' });
    expect((await contact('klaus@example.de'))?.company).toBe('Müller; Söhne GmbH');
  });

  it('sniffs tabs in a UTF-8 file without BOM', async () => {
    const { body } = await upload('email\tfirst_name\tcompany\ntab@example.com\tTab\tA, B and C\n');
    expect(body).toMatchObject({ imported: 1, delimiter: '\t' });
    expect((await contact('tab@example.com'))?.company).toBe('A, B and C');
  });

  it('keeps newlines inside quoted values and numbers rows as a spreadsheet does', async () => {
    const csv = 'email,first_name,notes\nq1@example.com,Q1,"line one\nline two\nline three"\nnot-an-email,Q2,x\n';
    const { body } = await upload(csv);
    expect(body.imported).toBe(1);
    expect((await contact('q1@example.com'))?.variables).toEqual({ notes: 'line one\nline two\nline three' });
    // The bad row is the third record (row 3), although it starts on line 5 of the file.
    expect(body.refused).toEqual([{ row: 3, column: 'email', reason: 'bad_email', message: '"not-an-email" is not an email address', value: 'not-an-email' }]);
  });

  it('stores Vietnamese names in NFC whether the file was NFC or NFD (macOS), so both imports are one contact', async () => {
    const name = 'Nguyễn Thị Ánh';
    const nfd = name.normalize('NFD');
    expect(nfd).not.toBe(name);
    await upload(`email,Họ và tên,company\nanh@example.vn,${nfd},${'Đồng Tháp'.normalize('NFD')}\n`);
    const stored = (await contact('anh@example.vn'))!;
    expect(stored.variables.full_name).toBe(name);
    expect(stored.first_name).toBe('Ánh');
    expect(stored.last_name).toBe('Nguyễn Thị');
    expect(stored.company).toBe('Đồng Tháp');
    // The NFD header was recognised too, and the same row in NFC changes nothing.
    const again = await upload(`${'email,Họ và tên,company'.normalize('NFD')}\nanh@example.vn,${name},Đồng Tháp\n`);
    expect(again.body).toMatchObject({ imported: 0, updated: 0, unchanged: 1 });
    const search = await env.request(`/api/v1/contacts?q=${encodeURIComponent('Ánh'.normalize('NFD'))}`, { token });
    expect(((await search.json()) as Json).items.map((c: Json) => c.email)).toEqual(['anh@example.vn']);
  });

  it('refuses bad and missing emails, duplicates (naming the first row) and over-long values, and imports the rest', async () => {
    const long = 'x'.repeat(201);
    const csv = [
      'email,first_name,company',
      'ok1@example.com,One,',
      'minh@@example.com,Bad,',
      ',NoEmail,',
      'OK1@example.com,Dup,',
      'ok2@example.com,Two,',
      `ok3@example.com,${long},`,
      'a@b,Short tld,',
      '',
      'ok4@example.com,Four,',
    ].join('\n');
    const { status, body } = await upload(csv);
    expect(status).toBe(200);
    expect(body).toMatchObject({ imported: 3, total_rows: 8, blank_rows: 1 });
    expect(body.refused.map((r: Json) => [r.row, r.column, r.reason, r.duplicate_of])).toEqual([
      [3, 'email', 'bad_email', undefined],
      [4, 'email', 'missing_email', undefined],
      [5, 'email', 'duplicate', 2],
      [7, 'first_name', 'too_long', undefined],
      [8, 'email', 'bad_email', undefined],
    ]);
    expect(body.refused[2].message).toBe('ok1@example.com is already on row 2; the first row was kept');
    expect((await contact('ok1@example.com'))?.first_name).toBe('One');
    expect(await contact('ok3@example.com')).toBeUndefined();
  });

  it('never imports a suppressed address, not even into a list', async () => {
    await env.container.db.insertInto('email_suppressions').values({ tenant_id: tenantId, email: 'gone@example.com', reason: 'unsubscribed' }).execute();
    const { status, body } = await upload('email,first_name\nGone@Example.com,Gone\nstays@example.com,Stays\n', { list_name: 'Suppression check' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ imported: 1, added_to_list: 1 });
    expect(body.refused).toEqual([
      { row: 2, column: 'email', reason: 'suppressed', message: 'gone@example.com is on the suppression list (unsubscribed); it is never imported or emailed', value: 'gone@example.com' },
    ]);
    expect(await contact('gone@example.com')).toBeUndefined();
  });

  it('answers 422 no_valid_rows with the whole report when no row can be imported, and creates no list', async () => {
    const { status, body } = await upload('email,name\nnope,A\n,B\n', { list_name: 'Never made' });
    expect(status).toBe(422);
    expect(body.code).toBe('no_valid_rows');
    expect(body.details).toMatchObject({ imported: 0, total_rows: 2, list_id: null, list_created: false });
    expect(body.details.refused.map((r: Json) => r.reason)).toEqual(['bad_email', 'missing_email']);
    expect(await env.container.contactsRepo.listByName(tenantId, 'Never made')).toBeUndefined();

    const headerOnly = await upload('email,first_name\n');
    expect(headerOnly.status).toBe(422);
    expect(headerOnly.body).toMatchObject({ code: 'no_valid_rows', message: 'Nothing was imported: the file has a header row but no contacts' });
  });

  it('answers an empty file with 422 empty_file, and a binary file renamed .csv with 415 unsupported_file_type', async () => {
    expect((await upload('')).body.code).toBe('empty_file');
    expect((await upload(bom('\r\n\r\n'))).body.code).toBe('empty_file');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const asPng = await upload(png, {}, 'contacts.csv');
    expect(asPng).toMatchObject({ status: 415, body: { code: 'unsupported_file_type' } });
    expect(asPng.body.message).toContain('PNG image');
    const xlsx = await upload(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), {}, 'contacts.csv');
    expect(xlsx.body.message).toContain('CSV UTF-8');
    const random = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    expect(await upload(random)).toMatchObject({ status: 415, body: { code: 'unsupported_file_type' } });
  });

  it('reports a quote that is never closed and keeps the rows before it', async () => {
    const { status, body } = await upload('email,first_name\nbefore@example.com,Before\nbroken@example.com,"Open\nafter@example.com,After\n');
    expect(status).toBe(200);
    expect(body.imported).toBe(1);
    expect(body.refused).toEqual([expect.objectContaining({ row: 3, column: null, reason: 'malformed_row' })]);
    expect(await contact('after@example.com')).toBeUndefined();
  });

  it('updates existing contacts: filled cells overwrite, empty cells keep, new variables merge', async () => {
    await upload('email,first_name,company,plan\nupd@example.com,Up,Old Co,basic\n');
    const { body } = await upload('email,first_name,company,region\nupd@example.com,,New Co,APAC\n');
    expect(body).toMatchObject({ imported: 0, updated: 1 });
    expect(await contact('upd@example.com')).toMatchObject({ first_name: 'Up', company: 'New Co', variables: { plan: 'basic', region: 'APAC' } });
  });

  it('follows an explicit mapping (fields, variables, ignored columns) and refuses a bad one with 422', async () => {
    const csv = 'Mail chính,Gọi là,Ghi chú,Điểm\nmap@example.com,Hà,secret,42\n';
    const { status, body } = await upload(csv, { mapping: JSON.stringify({ 'Mail chính': 'email', 'Gọi là': 'first_name', 'Ghi chú': '', Điểm: 'score' }) });
    expect(status).toBe(200);
    expect(body.columns).toEqual([
      { index: 0, header: 'Mail chính', field: 'email', variable: null, ignored: false },
      { index: 1, header: 'Gọi là', field: 'first_name', variable: null, ignored: false },
      { index: 2, header: 'Ghi chú', field: null, variable: null, ignored: true },
      { index: 3, header: 'Điểm', field: null, variable: 'score', ignored: false },
    ]);
    expect(await contact('map@example.com')).toMatchObject({ first_name: 'Hà', variables: { score: '42' } });

    const unknown = await upload(csv, { mapping: JSON.stringify({ Nope: 'email' }) });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'validation_failed' } });
    expect(unknown.body.details.headers).toEqual(['Mail chính', 'Gọi là', 'Ghi chú', 'Điểm']);
    expect((await upload(csv, { mapping: '{not json' })).status).toBe(422);
    expect((await upload(csv, { mapping: JSON.stringify({ 'Gọi là': 'Bad Name!' }) })).status).toBe(422);
    const noEmail = await upload('Name,Phone\nAn,123\n');
    expect(noEmail).toMatchObject({ status: 422, body: { code: 'missing_email_column', details: { headers: ['Name', 'Phone'] } } });
  });

  it('reads a Windows-1258 export from Vietnamese Excel and a bare list of addresses without header', async () => {
    // "Trần" in Windows-1258: T r (â=0xE2) (combining grave=0xCC) n
    const cp1258 = Buffer.concat([Buffer.from('email,first_name\ntran@example.vn,Tr'), Buffer.from([0xe2, 0xcc]), Buffer.from('n\n')]);
    const legacy = await upload(cp1258);
    expect(legacy.body).toMatchObject({ imported: 1, encoding: 'windows-1258' });
    expect((await contact('tran@example.vn'))?.first_name).toBe('Trần');

    const bare = await upload('bare1@example.com\nbare2@example.com\n');
    expect(bare.body).toMatchObject({ imported: 2, total_rows: 2 });
    expect(bare.body.columns).toEqual([{ index: 0, header: 'Column 1', field: 'email', variable: null, ignored: false }]);
  });

  it('runs two imports of overlapping files at once without a deadlock or a duplicate contact', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `par${i}@parallel.example,P${i}`);
    const a = `email,first_name\n${rows.join('\n')}\n`;
    const b = `email,first_name\n${[...rows].reverse().join('\n')}\n`;
    const [ra, rb] = await Promise.all([upload(a, { list_name: 'Parallel' }), upload(b, { list_name: 'Parallel' })]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(ra.body.imported + rb.body.imported).toBe(1200);
    expect(ra.body.imported + ra.body.unchanged + ra.body.updated).toBe(1200);
    const n = await env.container.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).where('email', 'like', '%@parallel.example').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1200);
    expect(ra.body.list_id).toBe(rb.body.list_id);
    expect(await env.container.contactsRepo.countMembers(tenantId, ra.body.list_id)).toBe(1200);
  });

  it('streams a chunked upload and stops it past 50 MB with 413 payload_too_large, importing nothing', async () => {
    const boundary = 'mvs-test-boundary';
    const row = Buffer.from('someone@example.com,Some One,Company\n'.repeat(1000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\nemail,name,company\n`));
      },
      pull(c) {
        // Lazily generated: 51 MB are never in memory at once, on either side.
        if (sent > 51 * 1024 * 1024) {
          c.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
          c.close();
          return;
        }
        sent += row.length;
        c.enqueue(row);
      },
    });
    const res = await env.request('/api/v1/contacts/import', {
      method: 'POST',
      token,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit & { token: string });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).code).toBe('payload_too_large');
    expect(await contact('someone@example.com')).toBeUndefined();
  });

  it('lets viewers import nothing (403), refuses a list of another workspace (404) and needs a file field', async () => {
    const admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    const invite = await env.request('/api/v1/users', { method: 'POST', token: admin, ...jsonBody({ email: 'viewer-import@demo.com', password: 'Viewer123', role: 'viewer' }) });
    expect(invite.status).toBe(201);
    const viewer = await env.login('viewer-import@demo.com', 'Viewer123');
    expect((await upload('email\nv@example.com\n', {}, 'x.csv', viewer)).status).toBe(403);
    expect(await contact('v@example.com')).toBeUndefined();

    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other-import.example', email: 'owner@other-import.example', password: 'Sup3rSecret!' }),
    });
    expect(reg.status).toBe(201);
    const other = await env.login('owner@other-import.example', 'Sup3rSecret!');
    const mine = await upload('email\nmine@example.com\n', { list_name: 'Mine only' });
    const foreign = await upload('email\nthief@example.com\n', { list_id: mine.body.list_id }, 'x.csv', other);
    expect(foreign).toMatchObject({ status: 404, body: { code: 'not_found' } });
    // The other workspace's import of the same address makes its own contact, and sees none of ours.
    expect((await upload('email\nmine@example.com\n', {}, 'x.csv', other)).body.imported).toBe(1);
    const theirs = (await (await env.request('/api/v1/contacts?page_size=100', { token: other })).json()) as Json;
    expect(theirs.items.map((c: Json) => c.email)).toEqual(['mine@example.com']);

    const form = new FormData();
    form.set('list_name', 'x');
    const noFile = await env.request('/api/v1/contacts/import', { method: 'POST', body: form, token });
    expect(noFile.status).toBe(422);
    expect(((await noFile.json()) as Json).code).toBe('missing_file');
    const notMultipart = await env.request('/api/v1/contacts/import', { method: 'POST', token, ...jsonBody({ file: 'email\n' }) });
    expect(notMultipart.status).toBe(415);
  });
});

describe('import upload cap', () => {
  it('stops reading past the limit with 413 payload_too_large', async () => {
    const { receiveUpload } = await import('./upload');
    const os = await import('node:os');
    const fs = await import('node:fs/promises');
    const dir = await fs.mkdtemp(`${os.tmpdir()}/mvs-cap-`);
    const form = new FormData();
    form.set('file', new Blob([Buffer.alloc(300_000, 'a')]), 'big.csv');
    const req = new Request('http://x/', { method: 'POST', body: form });
    await expect(receiveUpload(req, { fileField: 'file', maxBytes: 100_000, dir })).rejects.toMatchObject({ status: 413, code: 'payload_too_large' });
    await fs.rm(dir, { recursive: true, force: true });
  });
});

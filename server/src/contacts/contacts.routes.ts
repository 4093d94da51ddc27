import { createRoute, z } from '@hono/zod-openapi';
import { IdParam, PageQuery, Uuid } from '@mvs/shared/schemas/common';
import {
  Contact,
  ContactList,
  ContactListPage,
  ContactPage,
  ContactQuery,
  CreateContactRequest,
  CreateListRequest,
  ImportReport,
  MemberPage,
  MembersChangeRequest,
  MembersChangeResult,
  MembersQuery,
  UpdateContactRequest,
  UpdateListRequest,
} from '@mvs/shared/schemas/contacts';
import { errors, json } from '../http/responses';

const security = [{ bearer: [] }];
const read = { 401: errors[401], 403: errors[403], 404: errors[404], 422: errors[422] };
const write = { ...read, 409: errors[409] };
const body = <T>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

// ── contacts ─────────────────────────────────────────────────────────────
const contacts = { tags: ['contacts'], security };

export const list = createRoute({
  method: 'get',
  path: '/api/v1/contacts',
  ...contacts,
  summary: 'Search and page through the workspace’s contacts (newest first)',
  request: { query: ContactQuery },
  responses: { 200: json(ContactPage, 'A page of contacts'), ...read },
});

export const create = createRoute({
  method: 'post',
  path: '/api/v1/contacts',
  ...contacts,
  summary: 'Add a contact (unique by email; a suppressed address is refused with 422 contact_suppressed)',
  request: body(CreateContactRequest),
  responses: { 201: json(Contact, 'Created'), ...write },
});

export const get = createRoute({
  method: 'get',
  path: '/api/v1/contacts/{id}',
  ...contacts,
  summary: 'One contact, with the lists it is in',
  request: { params: IdParam },
  responses: { 200: json(Contact, 'Contact'), ...read },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/contacts/{id}',
  ...contacts,
  summary: 'Change a contact (null clears a field; `variables` replaces all custom values)',
  request: { params: IdParam, ...body(UpdateContactRequest) },
  responses: { 200: json(Contact, 'Updated'), ...write },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/contacts/{id}',
  ...contacts,
  summary: 'Delete a contact (and its list memberships)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...read },
});

export const importCsv = createRoute({
  method: 'post',
  path: '/api/v1/contacts/import',
  ...contacts,
  summary: 'Import contacts from a CSV file; answers a report of every row',
  description: [
    'Multipart fields: `file` (the CSV), optionally `list_id` or `list_name` (the list is created when missing), `mapping`, `encoding`, `delimiter` (see ImportForm).',
    'Reads UTF-8 with or without BOM, UTF-16 LE/BE with BOM (Excel "Unicode text", tab-separated), and Windows-1258/1252 exports; comma, semicolon, tab or pipe are sniffed; quoted values may hold newlines; text is stored NFC.',
    'Columns map by header ("Email Address", "E-mail", "First Name", "Tên", "Họ", "Công ty", …) to email, first_name, last_name, company, title, pronunciation; a full-name column ("Name", "Họ và tên") fills first/last name when those are absent; every other column is kept as a variable named variableName(header) ("Thành phố" → {{thanh_pho}}).',
    'Contacts are upserted by email: empty cells keep current values. Refused rows are listed with row (the header is row 1), column and reason: missing_email, bad_email, duplicate (duplicate_of: the earlier row), suppressed (the suppression list always wins), too_long, bad_encoding, extra_values, malformed_row.',
    'A file without any importable row is 422 no_valid_rows with the report in `details`; an empty file 422 empty_file; a binary file 415 unsupported_file_type; over 50 MB 413 payload_too_large.',
  ].join('\n\n'),
  request: {
    body: {
      required: true,
      // A $ref, not the zod schema itself: the file is streamed by the handler, never parsed into memory by a validator.
      content: { 'multipart/form-data': { schema: { $ref: '#/components/schemas/ImportForm' } } },
    },
  },
  responses: {
    200: json(ImportReport, 'The import report'),
    ...write,
    413: errors[413],
    415: errors[415],
  },
});

// ── lists ────────────────────────────────────────────────────────────────
const lists = { tags: ['lists'], security };

export const listLists = createRoute({
  method: 'get',
  path: '/api/v1/lists',
  ...lists,
  summary: 'The workspace’s contact lists with member counts (newest first)',
  request: { query: PageQuery },
  responses: { 200: json(ContactListPage, 'A page of lists'), ...read },
});

export const createList = createRoute({
  method: 'post',
  path: '/api/v1/lists',
  ...lists,
  summary: 'Create a list (names are unique per workspace, case-insensitively)',
  request: body(CreateListRequest),
  responses: { 201: json(ContactList, 'Created'), ...write },
});

export const getList = createRoute({
  method: 'get',
  path: '/api/v1/lists/{id}',
  ...lists,
  summary: 'One list',
  request: { params: IdParam },
  responses: { 200: json(ContactList, 'List'), ...read },
});

export const updateList = createRoute({
  method: 'patch',
  path: '/api/v1/lists/{id}',
  ...lists,
  summary: 'Rename a list or change its description',
  request: { params: IdParam, ...body(UpdateListRequest) },
  responses: { 200: json(ContactList, 'Updated'), ...write },
});

export const removeList = createRoute({
  method: 'delete',
  path: '/api/v1/lists/{id}',
  ...lists,
  summary: 'Delete a list (its contacts stay)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...read },
});

export const members = createRoute({
  method: 'get',
  path: '/api/v1/lists/{id}/members',
  ...lists,
  summary: 'The list’s contacts, keyset-paged (pass `next_after` as `after`)',
  request: { params: IdParam, query: MembersQuery },
  responses: { 200: json(MemberPage, 'A page of members'), ...read },
});

export const addMembers = createRoute({
  method: 'post',
  path: '/api/v1/lists/{id}/members',
  ...lists,
  summary: 'Add contacts to the list (suppressed contacts are refused)',
  request: { params: IdParam, ...body(MembersChangeRequest) },
  responses: { 200: json(MembersChangeResult, 'What changed'), ...write },
});

export const removeMembers = createRoute({
  method: 'delete',
  path: '/api/v1/lists/{id}/members',
  ...lists,
  summary: 'Remove contacts from the list (the contacts stay)',
  request: { params: IdParam, ...body(MembersChangeRequest) },
  responses: { 200: json(MembersChangeResult, 'What changed'), ...write },
});

export const removeMember = createRoute({
  method: 'delete',
  path: '/api/v1/lists/{id}/members/{contact_id}',
  ...lists,
  summary: 'Remove one contact from the list',
  request: { params: IdParam.extend({ contact_id: Uuid.openapi({ param: { name: 'contact_id', in: 'path' } }) }) },
  responses: { 204: { description: 'Removed (or was not a member)' }, ...read },
});

export const ListIdQuery = z.object({ list_id: Uuid.optional() });

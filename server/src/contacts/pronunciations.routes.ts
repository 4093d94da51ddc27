import { createRoute, z } from '@hono/zod-openapi';
import { IdParam } from '@mvs/shared/schemas/common';
import { CreatePronunciationRequest, Pronunciation, SpokenText, SpokenTextRequest, UpdatePronunciationRequest } from '@mvs/shared/schemas/contacts';
import { errors, json } from '../http/responses';

const base = { tags: ['pronunciations'], security: [{ bearer: [] }] };
const read = { 401: errors[401], 403: errors[403], 404: errors[404], 422: errors[422] };
const body = <T>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

export const list = createRoute({
  method: 'get',
  path: '/api/v1/pronunciations',
  ...base,
  summary: "The workspace's pronunciation lexicon (word → how to say it); every TTS engine gets it",
  request: { query: z.object({ language: z.enum(['en', 'vi']).optional().openapi({ description: "Entries for this voice language (and those for all)" }) }) },
  responses: { 200: json(z.object({ items: z.array(Pronunciation) }), 'Entries, alphabetically'), ...read },
});

export const create = createRoute({
  method: 'post',
  path: '/api/v1/pronunciations',
  ...base,
  summary: 'Add a word (or phrase): the TTS engine says `say_as` wherever it appears as a whole word; transcripts keep the spelling',
  request: body(CreatePronunciationRequest),
  responses: { 201: json(Pronunciation, 'Created'), ...read, 409: errors[409] },
});

export const get = createRoute({
  method: 'get',
  path: '/api/v1/pronunciations/{id}',
  ...base,
  summary: 'One entry',
  request: { params: IdParam },
  responses: { 200: json(Pronunciation, 'Entry'), ...read },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/pronunciations/{id}',
  ...base,
  summary: 'Change an entry',
  request: { params: IdParam, ...body(UpdatePronunciationRequest) },
  responses: { 200: json(Pronunciation, 'Updated'), ...read, 409: errors[409] },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/pronunciations/{id}',
  ...base,
  summary: 'Delete an entry',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...read },
});

export const spoken = createRoute({
  method: 'post',
  path: '/api/v1/pronunciations/spoken-text',
  ...base,
  summary: 'What the TTS engine would be given for a text (try the lexicon; viewers may call it)',
  request: body(SpokenTextRequest),
  responses: { 200: json(SpokenText, 'The text and its spoken form'), ...read },
});

import { createRoute } from '@hono/zod-openapi';
import { DraftScriptRequest, DraftScriptResponse, SummarizeRequest, SummarizeResponse } from '@mvs/shared/schemas/emails';
import { errors, json } from '../http/responses';

const tags = ['emails'];
const AI_NOTE =
  'Uses the configured OpenAI-compatible model (OPENAI_BASE_URL/OPENAI_API_KEY/OPENAI_MODEL) and falls back to the ' +
  'offline engine when none is configured or it fails; `engine` says which answered. Needs the user or admin role ' +
  '(viewers are read-only). The body may be text or HTML up to 100,000 characters; quoted history and signatures are ignored.';

export const summarize = createRoute({
  method: 'post',
  path: '/api/v1/emails/summarize',
  tags,
  summary: 'Summarize an email: summary, key points, asks, people, dates and numbers',
  description: AI_NOTE,
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: SummarizeRequest } } } },
  responses: {
    200: json(SummarizeResponse, 'The summary'),
    401: errors[401],
    403: errors[403],
    413: errors[413],
    422: errors[422],
  },
});

export const draftScript = createRoute({
  method: 'post',
  path: '/api/v1/emails/draft-script',
  tags,
  summary: 'Draft a 20/40/60-second video script answering an email, greeting the recipient by first name',
  description: AI_NOTE,
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: DraftScriptRequest } } } },
  responses: {
    200: json(DraftScriptResponse, 'The script and its estimated spoken length'),
    401: errors[401],
    403: errors[403],
    413: errors[413],
    422: errors[422],
  },
});

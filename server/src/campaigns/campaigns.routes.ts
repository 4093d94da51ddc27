import { createRoute, z } from '@hono/zod-openapi';
import {
  ApproveRequest, ApproveResponse, Campaign, CampaignAnalytics, CampaignListQuery, CampaignPage, CampaignRecipient, CampaignRecipientAnalyticsPage,
  CampaignRecipientPage, CampaignRecipientQuery, CreateCampaignRequest, RerenderRequest, SendCampaignRequest, UpdateCampaignRequest,
} from '@mvs/shared/schemas/campaigns';
import { IdParam, PageQuery, Uuid } from '@mvs/shared/schemas/common';
import { errors, json } from '../http/responses';

const tags = ['campaigns'];
const security = [{ bearer: [] }];
const read = { 401: errors[401], 404: errors[404] };
const write = { 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] };
const RecipientParams = IdParam.extend({ rid: Uuid.openapi({ param: { name: 'rid', in: 'path' } }) });
const body = <T>(schema: T, required = true) => ({ body: { required, content: { 'application/json': { schema } } } });
const csv = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } });

const createDef = (path: string, hide = false) =>
  createRoute({
    method: 'post',
    path,
    tags,
    security,
    hide,
    summary: 'Create a campaign (draft) for a contact list (user+)',
    description:
      'Give `script` or `template_id`; script, subject, body and poster_caption may hold `{{variables}}` (with `{{name|fallback}}`). ' +
      'Every contact that may be emailed needs a value for each variable without a fallback, else 422 `missing_variables` ' +
      'lists the contacts (`details.contacts`, at most 100; `details.affected_total`). Unsubscribed and bounced contacts are ' +
      'kept as `skipped`. Up to 4 `variants` make an A/B test (see `ab`). Then POST /{id}/render.',
    request: body(CreateCampaignRequest),
    responses: { 201: json(Campaign, 'Created (status draft)'), ...write, 422: errors[422] },
  });
export const create = createDef('/api/v1/campaigns');
export const createSlash = createDef('/api/v1/campaigns/', true);

const listDef = (path: string, hide = false) =>
  createRoute({
    method: 'get',
    path,
    tags,
    security,
    hide,
    summary: 'List campaigns, newest first (users see their own; admins and viewers the whole workspace)',
    request: { query: CampaignListQuery },
    responses: { 200: json(CampaignPage, 'Campaigns'), 401: errors[401], 422: errors[422] },
  });
export const list = listDef('/api/v1/campaigns');
export const listSlash = listDef('/api/v1/campaigns/', true);

export const get = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}',
  tags,
  security,
  summary: 'One campaign: status, counts of recipients per state, variants, A/B state',
  request: { params: IdParam },
  responses: { 200: json(Campaign, 'Campaign'), ...read },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/campaigns/{id}',
  tags,
  security,
  summary: 'Edit a draft campaign (user+): any field of the create body; the others keep their values',
  description:
    'Only a `draft` can be edited (409 `invalid_state` otherwise; cancel and create a new one instead). The result is checked exactly like a new ' +
    'campaign, including 422 `missing_variables` listing the contacts that lack a variable without a fallback. The recipients are taken from the ' +
    'list again (contacts added or unsubscribed since are taken into account) and the A/B split is computed anew. `variants` replaces the variants ' +
    "whole; without it, variants that used the campaign's script or subject follow a new `script`, `subject` or `template_id`. " +
    '`null` clears body_html, poster_caption, cta_label and cta_url. Audit-logged as `campaign.updated`.',
  request: { params: IdParam, ...body(UpdateCampaignRequest) },
  responses: { 200: json(Campaign, 'Updated (still draft)'), ...write, 422: errors[422] },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/campaigns/{id}',
  tags,
  security,
  summary: 'Delete a campaign and its videos (user+; draft, review, canceled, sent or failed)',
  description:
    'A campaign still at work — `rendering`, `scheduled`, `sending` or `paused` — answers 409 `campaign_in_progress`: cancel it first (POST /{id}/cancel). ' +
    "Deleting removes the campaign, its variants and recipients, and every recipient's video: the video rows are deleted like DELETE /api/v1/videos/{id} " +
    'does and their stored MP4, poster and GIF files are removed, so nothing is left in storage. For a campaign that sent mail this means the watch ' +
    'links in delivered emails answer 410 Gone ("this video was removed") and its tracking stops — download GET /{id}/analytics.csv first if you need the per-recipient numbers; ' +
    "the audit record `campaign.deleted` keeps the campaign's counts and its totals per variant (delivered, opens, plays, CTA clicks, A/B result). " +
    'The messages already sent, and the unsubscribes and bounces they brought, stay (an unsubscribe always holds). No webhook is sent (campaign.* webhooks report the send lifecycle only).',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...write },
});

const actionDef = (verb: string, summary: string, description: string) => ({
  method: 'post' as const,
  path: `/api/v1/campaigns/{id}/${verb}`,
  tags,
  security,
  summary,
  description,
  request: { params: IdParam },
});
const accepted = (verb: string, summary: string, description: string) =>
  createRoute({ ...actionDef(verb, summary, description), responses: { 202: json(Campaign, 'Accepted'), ...write, 422: errors[422] } });
const done = (verb: string, summary: string, description: string) =>
  createRoute({ ...actionDef(verb, summary, description), responses: { 200: json(Campaign, 'Done'), ...write, 422: errors[422] } });

export const render = accepted('render', 'Render every recipient\'s video (draft → rendering)', 'Answers 202 at once. Campaign renders are low-priority jobs: an add-in render never waits behind them. When all are done the campaign is `review` (`failed` when none rendered). Follow GET /{id}/events.');
export const send = createRoute({
  ...actionDef(
    'send',
    'Send the approved recipients now, or at `send_at` (review | sent → sending | scheduled)',
    'Only approved recipients are sent, each at most once (see the README for the rule). 409 `nothing_approved` when none is approved.',
  ),
  request: { params: IdParam, ...body(SendCampaignRequest, false) },
  responses: { 202: json(Campaign, 'Accepted'), ...write, 422: errors[422] },
});
export const pause = done('pause', 'Pause rendering, a scheduled send or sending', 'Renders and sends in flight finish; nothing new starts until resume.');
export const resume = done('resume', 'Resume a paused campaign where it stopped', 'Back to rendering, scheduled or sending.');
export const cancel = done('cancel', 'Cancel everything not yet sent', 'Queued renders stop; recipients not yet sent become `canceled`. Messages already sent stay sent.');

export const approve = createRoute({
  method: 'post',
  path: '/api/v1/campaigns/{id}/approve',
  tags,
  security,
  summary: 'Approve rendered recipients for sending: `{}` approves every rendered one, `{ recipient_ids }` those',
  request: { params: IdParam, ...body(ApproveRequest, false) },
  responses: { 200: json(ApproveResponse, 'Approved'), ...write, 422: errors[422] },
});

export const rerender = createRoute({
  method: 'post',
  path: '/api/v1/campaigns/{id}/recipients/{rid}/rerender',
  tags,
  security,
  summary: "Render one recipient's video again, optionally with an edited script (it needs approval again)",
  request: { params: RecipientParams, ...body(RerenderRequest, false) },
  responses: { 202: json(CampaignRecipient, 'Queued'), ...write, 422: errors[422] },
});

export const recipients = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}/recipients',
  tags,
  security,
  summary: 'Review: recipients with name, company, transcript, poster, video and state (paged; `sample=N` for a random spot-check)',
  request: { params: IdParam, query: CampaignRecipientQuery },
  responses: { 200: json(CampaignRecipientPage, 'Recipients'), ...read, 422: errors[422] },
});

export const recipient = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}/recipients/{rid}',
  tags,
  security,
  summary: 'One recipient of the campaign',
  request: { params: RecipientParams },
  responses: { 200: json(CampaignRecipient, 'Recipient'), ...read },
});

export const events = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}/events',
  tags,
  security,
  summary: 'Server-Sent Events: `counts` {status, counts} on every change, then `done` with the Campaign once it is sent, canceled or failed',
  description: 'Auth by Bearer header or ?access_token= (EventSource cannot send headers). A comment line every 15 s keeps proxies open.',
  request: { params: IdParam },
  responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: z.string() } } }, ...read },
});

export const exportCsv = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}/export.csv',
  tags,
  security,
  summary: 'PURL export: email, first_name, watch_url, poster_url, gif_url, html_snippet per rendered recipient (for any ESP)',
  description: 'RFC 4180 CSV (UTF-8, CRLF); cells starting with = + - @ get a leading apostrophe so spreadsheets never run them. The links are the recipients\' own tracked links.',
  request: { params: IdParam },
  responses: { 200: csv('CSV'), ...read },
});

export const analytics = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}/analytics',
  tags,
  security,
  summary: 'Delivered, human opens and plays, average watch %, CTA clicks — per campaign and variant, machine events apart; live A/B statistics',
  request: { params: IdParam },
  responses: { 200: json(CampaignAnalytics, 'Analytics'), ...read },
});

export const recipientAnalytics = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}/analytics/recipients',
  tags,
  security,
  summary: 'The same counters per recipient (paged)',
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(CampaignRecipientAnalyticsPage, 'Recipients'), ...read, 422: errors[422] },
});

export const analyticsCsv = createRoute({
  method: 'get',
  path: '/api/v1/campaigns/{id}/analytics.csv',
  tags,
  security,
  summary: 'Analytics as CSV: one line per recipient, then per variant and the total',
  request: { params: IdParam },
  responses: { 200: csv('CSV'), ...read },
});

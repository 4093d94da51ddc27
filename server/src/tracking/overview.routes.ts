import { createRoute } from '@hono/zod-openapi';
import { Overview, OverviewQuery } from '@mvs/shared/schemas/overview';
import { errors, json } from '../http/responses';

const security = [{ bearer: [] }];

export const overview = createRoute({
  method: 'get',
  path: '/api/v1/analytics/overview',
  tags: ['analytics'],
  security,
  summary: 'Dashboard: human plays, average watch %, CTA clicks and human vs machine opens per day; top videos; recent viewers',
  request: { query: OverviewQuery },
  responses: { 200: json(Overview, 'From the aggregates; users see their own videos, admins and viewers the workspace'), 401: errors[401], 422: errors[422] },
});

export const notificationEvents = createRoute({
  method: 'get',
  path: '/api/v1/notifications/events',
  tags: ['notifications'],
  security,
  summary: 'Server-Sent Events: `notification` with each new Notification (id resumes via Last-Event-ID); ends after 5 min, reconnect',
  responses: {
    200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
    401: errors[401],
  },
});

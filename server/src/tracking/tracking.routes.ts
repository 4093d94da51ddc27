import { createRoute, z } from '@hono/zod-openapi';
import { AddRecipientRequest, NotificationList, NotificationQuery, NotificationSettings, Notification, Recipient, RecipientList, VideoAnalytics } from '@mvs/shared/schemas/analytics';
import { IdParam } from '@mvs/shared/schemas/common';
import { errors, json } from '../http/responses';

const security = [{ bearer: [] }];

export const addRecipient = createRoute({
  method: 'post',
  path: '/api/v1/videos/{id}/recipients',
  tags: ['recipients'],
  security,
  summary: 'Give a recipient their own watch and thumbnail links (idempotent per email)',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: AddRecipientRequest } } } },
  responses: { 200: json(Recipient, 'Already a recipient'), 201: json(Recipient, 'Added'), 401: errors[401], 403: errors[403], 404: errors[404], 422: errors[422] },
});

export const listRecipients = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}/recipients',
  tags: ['recipients'],
  security,
  summary: "A video's recipients with their links",
  request: { params: IdParam },
  responses: { 200: json(RecipientList, 'Recipients'), 401: errors[401], 404: errors[404], 422: errors[422] },
});

export const analytics = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}/analytics',
  tags: ['analytics'],
  security,
  summary: 'Delivered, opens and clicks (human/machine), human plays, watch %, completions, CTA clicks; per recipient and per day',
  request: { params: IdParam },
  responses: { 200: json(VideoAnalytics, 'Analytics from aggregates'), 401: errors[401], 404: errors[404], 422: errors[422] },
});

export const analyticsCsv = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}/analytics.csv',
  tags: ['analytics'],
  security,
  summary: 'The analytics as CSV: one line per recipient (default) or per day (?by=day)',
  request: { params: IdParam, query: z.object({ by: z.enum(['recipient', 'day']).default('recipient') }) },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, 401: errors[401], 404: errors[404], 422: errors[422] },
});

export const listNotifications = createRoute({
  method: 'get',
  path: '/api/v1/notifications',
  tags: ['notifications'],
  security,
  summary: 'Your notifications, newest first, and the unread count',
  request: { query: NotificationQuery },
  responses: { 200: json(NotificationList, 'Notifications'), 401: errors[401], 422: errors[422] },
});

export const readNotification = createRoute({
  method: 'post',
  path: '/api/v1/notifications/{id}/read',
  tags: ['notifications'],
  security,
  summary: 'Mark one notification read',
  request: { params: IdParam },
  responses: { 200: json(Notification, 'Read'), 401: errors[401], 404: errors[404], 422: errors[422] },
});

export const getNotificationSettings = createRoute({
  method: 'get',
  path: '/api/v1/notifications/settings',
  tags: ['notifications'],
  security,
  summary: 'Whether you also get an email when a recipient first watches',
  responses: { 200: json(NotificationSettings, 'Settings'), 401: errors[401] },
});

export const putNotificationSettings = createRoute({
  method: 'put',
  path: '/api/v1/notifications/settings',
  tags: ['notifications'],
  security,
  summary: 'Turn first-view emails on or off',
  request: { body: { required: true, content: { 'application/json': { schema: NotificationSettings } } } },
  responses: { 200: json(NotificationSettings, 'Saved'), 401: errors[401], 422: errors[422] },
});

import type { JobHandler } from '../jobs/job-handler';

/** 'deliver-webhook': one signed POST; throwing hands the retry (with backoff) back to the queue. */
export const deliverWebhookJob: JobHandler<'deliver-webhook'> = async (data, ctx) => {
  const outcome = await ctx.container.webhooks.deliver(data.tenantId, data.deliveryId, { retryCount: ctx.retryCount, signal: ctx.signal });
  if (outcome === 'retry') throw new Error('webhook receiver did not accept the delivery; retrying with backoff');
  return outcome === 'delivered' ? 'success' : 'skipped';
};

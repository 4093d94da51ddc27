import { createHash } from 'node:crypto';
import { escapeHtml } from '@mvs/shared/email/video-block';
import { renderTemplate, requiredVariables, type TemplateValues } from '@mvs/shared/templates/variables';
import { splitByWeight } from './ab-stats';

/** An A/B test runs when the campaign was created with two or more variants (its settings are stored then). */
export const abEnabled = (ab: { confidence?: number } | null | undefined) => typeof ab?.confidence === 'number';

/** `{{video}}` is where the email's video block goes, not a contact variable. */
export const VIDEO_TOKEN = 'video';

/** The texts a campaign fills per contact. */
export interface CampaignTexts {
  variants: { script: string; subject: string }[];
  body: string;
  bodyHtml: string | null;
  caption: string | null;
}

/** Variable names some text needs a value for (no fallback), without `{{video}}`. */
export function requiredNames(t: CampaignTexts): string[] {
  const texts = [...t.variants.flatMap((v) => [v.script, v.subject]), t.body, t.bodyHtml ?? '', t.caption ?? ''];
  return [...new Set(texts.flatMap(requiredVariables))].filter((n) => n !== VIDEO_TOKEN);
}

const present = (v: string | null | undefined) => typeof v === 'string' && v.trim() !== '';

/** The required names a contact has no value for. */
export const missingFor = (required: readonly string[], values: TemplateValues) => required.filter((n) => !present(values[n]));

/** A variant's texts for one contact. */
export function personalTexts(v: { script: string; subject: string }, caption: string | null, values: TemplateValues) {
  return {
    script: renderTemplate(v.script, values).text.trim(),
    subject: renderTemplate(v.subject, values).text.replace(/[\r\n]+/g, ' ').trim(),
    caption: caption ? renderTemplate(caption, values).text.trim() || null : null,
  };
}

/** The email body for one contact, `{{video}}` kept for the composer; HTML bodies get escaped values. */
export function personalBody(t: Pick<CampaignTexts, 'body' | 'bodyHtml'>, values: TemplateValues): { bodyText?: string; bodyHtml?: string } {
  const keep = { [VIDEO_TOKEN]: '{{video}}' };
  if (t.bodyHtml) {
    const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
    return { bodyHtml: renderTemplate(t.bodyHtml, { ...escaped, ...keep }).text };
  }
  return { bodyText: renderTemplate(t.body, { ...values, ...keep }).text };
}

/** A uniform, reproducible order of contacts for the A/B split (hash of campaign and contact). */
export const splitKey = (campaignId: string, contactId: string) => createHash('sha256').update(`${campaignId}:${contactId}`).digest('hex').slice(0, 16);

/**
 * Which variant each contact gets (index), or null when it waits for the winner: contacts are ordered by
 * splitKey; the first ⌈test_fraction × n⌉ form the test, split by weight (exact sizes); the rest are held.
 */
export function assignVariants(campaignId: string, contactIds: readonly string[], weights: readonly number[], testFraction: number): Map<string, number | null> {
  const ordered = [...contactIds].sort((a, b) => (splitKey(campaignId, a) < splitKey(campaignId, b) ? -1 : 1));
  const testSize = weights.length > 1 ? Math.min(ordered.length, Math.ceil(ordered.length * testFraction)) : ordered.length;
  const sizes = splitByWeight(testSize, [...weights]);
  const out = new Map<string, number | null>();
  let i = 0;
  sizes.forEach((size, variant) => {
    for (let k = 0; k < size; k++) out.set(ordered[i++]!, variant);
  });
  for (; i < ordered.length; i++) out.set(ordered[i]!, null);
  return out;
}

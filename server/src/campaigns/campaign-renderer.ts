import { splitScript } from '@mvs/shared/templates/script-parts';
import { renderTemplate, type TemplateValues } from '@mvs/shared/templates/variables';

/** What a campaign recipient's video row carries in `videos.options` besides the renderers' own options. */
export interface CampaignVideoOptions {
  recipient_name?: string;
  /** Contact pronunciation (word → how to say it), applied by the speech layer; the transcript keeps the spelling. */
  pronunciations?: Record<string, string>;
  caption?: string;
  campaign: { id: string; recipient_id: string };
  /**
   * The script split for segment reuse: the personal part (filled in for this contact) and the shared part
   * (the same for every contact). Present only when the template has both (splitScript().reusable).
   */
  segments?: { personal: string; shared: string };
}

/**
 * The split of a variant's script for one contact, or undefined when the whole video must be rendered. The
 * photo renderer reads `videos.options.segments` and then renders the shared part once (cached) and only the
 * personal part per contact (render/segments); other renderers, and templates without a shared part, render whole.
 */
export function segmentsFor(variantScript: string, values: TemplateValues): CampaignVideoOptions['segments'] {
  const parts = splitScript(variantScript);
  if (!parts.reusable) return undefined;
  return { personal: renderTemplate(parts.personal, values).text.trim(), shared: parts.shared };
}

import { splitScript } from '@mvs/shared/templates/script-parts';
import { renderTemplate, type TemplateValues } from '@mvs/shared/templates/variables';
import type { Renderer, RenderOutput, RenderRequest } from '../render/renderer';

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

/** The split of a variant's script for one contact, or undefined when the whole video must be rendered. */
export function segmentsFor(variantScript: string, values: TemplateValues): CampaignVideoOptions['segments'] {
  const parts = splitScript(variantScript);
  if (!parts.reusable) return undefined;
  return { personal: renderTemplate(parts.personal, values).text.trim(), shared: parts.shared };
}

/**
 * Renders a campaign recipient's video: through `segment` (shared part once, personal part per contact)
 * when the row has segments and a segment renderer is wired, else whole through the video's renderer.
 * This is the one place that chooses; interactive videos never carry `segments` and pass straight through.
 */
export type SegmentRender = (req: RenderRequest, inner: Renderer, segments: NonNullable<CampaignVideoOptions['segments']>) => Promise<RenderOutput>;

export function withCampaignSegments<R extends Record<string, Renderer>>(renderers: R, segment?: SegmentRender): R {
  if (!segment) return renderers;
  const wrapped = Object.fromEntries(
    Object.entries(renderers).map(([name, inner]) => [
      name,
      {
        name: inner.name,
        render(req: RenderRequest) {
          const segments = (req.video.options as Partial<CampaignVideoOptions> | null)?.segments;
          return segments && (inner.name === 'photo' || inner.name === 'static') ? segment(req, inner, segments) : inner.render(req);
        },
      } satisfies Renderer,
    ]),
  );
  return wrapped as R;
}

import type { Container } from '../container';
import { AppError } from '../errors';
import type { Renderer } from '../render/renderer';

/** The Renderer that runs a video's `renderer` name (container.renderers, wired in render/render.wiring.ts). */
export function rendererFor(c: Container, name: string): Renderer {
  const found = (c.renderers as Partial<Record<string, Renderer>>)[name];
  if (!found) throw new AppError(422, 'renderer_unavailable', `Unknown renderer '${name}'`);
  return found;
}

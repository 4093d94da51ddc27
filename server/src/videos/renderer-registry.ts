import type { Container } from '../container';
import { AppError } from '../errors';
import type { Renderer } from '../render/renderer';

/** The Renderer that runs a video's `renderer` name; 422 renderer_unavailable when this server has none. */
export function rendererFor(container: Container, name: string): Renderer {
  const found = (container as Container & { renderers?: Partial<Record<string, Renderer>> }).renderers?.[name];
  if (!found) throw new AppError(422, 'renderer_unavailable', `The '${name}' renderer is not available on this server`);
  return found;
}

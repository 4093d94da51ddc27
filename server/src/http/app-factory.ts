import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../errors';
import type { AppEnv } from './env';

/** An OpenAPIHono whose zod validation failures answer 422 in the one error shape. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        throw new AppError(
          422,
          'validation_failed',
          first ? `${first.path || 'body'}: ${first.message}` : 'Request is not valid',
          { issues },
        );
      }
      return undefined;
    },
  });
}

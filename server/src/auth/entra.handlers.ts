import { router } from '../http/app-factory';
import { entraSignIn } from './entra.routes';

/** POST /api/v1/auth/entra (public: the Microsoft token is the credential). */
export const entraRouter = router().openapi(entraSignIn, async (c) => c.json(await c.var.container.entra.signIn(c.req.valid('json').token), 200));

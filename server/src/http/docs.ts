import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './env';

const require = createRequire(import.meta.url);
const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const redocBundle = path.join(path.dirname(require.resolve('redoc/package.json')), 'bundles', 'redoc.standalone.js');

const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const swaggerHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mail Video Service API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

// Served as a file (not inline) so a strict Content-Security-Policy without 'unsafe-inline' still works.
const swaggerInit = `window.ui = SwaggerUIBundle({
  url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout',
  oauth2RedirectUrl: location.origin + '/docs/assets/oauth2-redirect.html'
});`;

const redocHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mail Video Service API — reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>`;

/** Swagger UI at /docs and ReDoc at /redoc, all assets from our own npm packages (no CDN). */
export function mountDocs(app: Hono<AppEnv>): void {
  app.get('/docs', (c) => c.html(swaggerHtml));
  app.get('/docs/', (c) => c.redirect('/docs'));
  app.get('/docs/init.js', (c) => c.body(swaggerInit, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = SWAGGER_ASSETS[file];
    if (!type) return c.notFound();
    const body = await readFile(path.join(swaggerDir, file));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  app.get('/redoc', (c) => c.html(redocHtml));
  app.get('/redoc/redoc.standalone.js', async (c) =>
    c.body(await readFile(redocBundle), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    }),
  );
}

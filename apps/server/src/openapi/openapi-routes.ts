import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseParams } from '../http/validate';
import { assets, docsAssetParams } from './docs-assets';
import { buildOpenApiDocument } from './document';
import { apiOperations } from './operations';

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const swaggerVersion = (
  JSON.parse(readFileSync(path.join(swaggerDir, 'package.json'), 'utf8')) as { version: string }
).version;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard API</title>
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css?v=${swaggerVersion}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js?v=${swaggerVersion}"></script>
<script>
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // Tags start closed: drawing two hundred operations at once keeps the page blank for seconds.
  docExpansion: 'none',
  defaultModelsExpandDepth: -1,
  filter: true,
  // The default validator badge asks validator.swagger.io: no calls out of the call center.
  validatorUrl: null,
  // Same origin: the browser's session cookie signs the requests "Try it out" makes.
  withCredentials: true,
});
</script>
</body>
</html>
`;

/** GET /api/openapi.json, and the docs page at /api/docs (docs/integrations.md). */
export function openapiRoutes(_deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  const files = new Map<string, Buffer>();

  app.get('/openapi.json', requireRole('supervisor'), (c) => {
    document ??= buildOpenApiDocument(apiOperations);
    return c.json(document);
  });

  app.get('/docs', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(page);
  });

  app.get('/docs/assets/:file', (c) => {
    const { file } = parseParams(c, docsAssetParams);
    let body = files.get(file);
    if (!body) {
      body = readFileSync(path.join(swaggerDir, file));
      files.set(file, body);
    }
    c.header('Content-Type', assets[file]);
    // The page asks for each file with the package version, so a new version is a new address.
    c.header('Cache-Control', 'public, max-age=86400');
    c.header('ETag', `"${swaggerVersion}-${file}"`);
    if (c.req.header('if-none-match') === `"${swaggerVersion}-${file}"`) return c.body(null, 304);
    return c.body(new Uint8Array(body));
  });

  return app;
}

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config';
import { requestHost } from './client-address';
import { hostAllowed } from './middleware/allowed-hosts';

/**
 * Serves the built web app; any other non-API GET gets index.html so client-side routes survive a
 * reload. Without a build the root explains how to make one instead of a bare 404.
 */
export function spaRoutes(distDir: string, config?: Pick<Config, 'http' | 'sip' | 'security'>) {
  const app = new Hono();
  // The page may run only its own scripts, talk only to its own origin (API, SIP WebSocket, live
  // events), play media from itself or blobs, and never be framed (clickjacking).
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React and the chart library set style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:', 'data:'],
        fontSrc: ["'self'", 'data:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: [
          "'self'",
          (c) => {
            const host = requestHost(c);
            return host && (!config || hostAllowed(config, host)) ? `ws://${host} wss://${host}` : "'self'";
          },
        ],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      xContentTypeOptions: true,
      referrerPolicy: 'same-origin',
    }),
  );
  const indexFile = path.join(distDir, 'index.html');
  if (!existsSync(indexFile)) {
    app.get('*', (c) =>
      c.text('The web app is not built. Run `npm start` (it builds it) or `npm run build`.', 503),
    );
    return app;
  }
  const indexHtml = readFileSync(indexFile, 'utf8');
  app.use(
    '/assets/*',
    serveStatic({
      root: path.relative(process.cwd(), distDir) || '.',
      onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  app.use('*', serveStatic({ root: path.relative(process.cwd(), distDir) || '.' }));
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(indexHtml);
  });
  return app;
}

import { z } from 'zod';

/** The Swagger UI files the docs page loads, served from the server: call centers may have no internet. */
export const assets = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;

export const docsAssetParams = z.object({
  file: z.enum(Object.keys(assets) as [keyof typeof assets, ...(keyof typeof assets)[]], {
    error: 'No such file',
  }),
});

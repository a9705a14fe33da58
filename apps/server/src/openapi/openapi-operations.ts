import { docsAssetParams } from './docs-assets';
import { defineOperations } from './operation';

/** The document itself and its docs page. */
export const openapiOperations = defineOperations('API document', [
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (OpenAPI 3.1)',
    access: 'supervisor',
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'The API docs page (Swagger UI)',
    access: 'public',
    description: 'A static page; it reads /api/openapi.json with the browser session.',
    response: { description: 'An HTML page', contentType: 'text/html' },
  },
  {
    method: 'get',
    path: '/docs/assets/{file}',
    summary: 'A file of the docs page',
    access: 'public',
    params: docsAssetParams,
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
]);

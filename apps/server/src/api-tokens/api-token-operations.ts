import { apiTokenCreateSchema } from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What api-token-routes.ts serves, as /api/openapi.json publishes it. */
export const apiTokenOperations = defineOperations('Integrations', [
  { method: 'get', path: '/admin/api-tokens', summary: 'List API tokens', access: 'admin' },
  {
    method: 'post',
    path: '/admin/api-tokens',
    summary: 'Create an API token (its secret is shown once)',
    access: 'admin',
    body: apiTokenCreateSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'delete',
    path: '/admin/api-tokens/{id}',
    summary: 'Revoke an API token',
    access: 'admin',
    params: idParams,
    response: { status: 204, description: 'Done; no content' },
  },
]);

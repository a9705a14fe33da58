import { idParamSchema, trunkInputSchema, trunkUpdateSchema } from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What trunk-admin-routes.ts serves, as /api/openapi.json publishes it (under Routing). */
export const trunkAdminOperations = defineOperations('Routing', [
  { method: 'get', path: '/admin/trunks', summary: 'List trunks', access: 'admin' },
  {
    method: 'post',
    path: '/admin/trunks',
    summary: 'Create trunk',
    access: 'admin',
    body: trunkInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/admin/trunks/{id}',
    summary: 'Update trunk',
    access: 'admin',
    params: idParamSchema,
    body: trunkUpdateSchema,
  },
  {
    method: 'delete',
    path: '/admin/trunks/{id}',
    summary: 'Delete trunk',
    access: 'admin',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
]);

import { idParamSchema, pauseReasonInputSchema, pauseReasonUpdateSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What pause-reason-admin-routes.ts serves, as /api/openapi.json publishes it (under Routing). */
export const pauseReasonAdminOperations = defineOperations('Routing', [
  { method: 'get', path: '/admin/pause-reasons', summary: 'List pause reasons', access: 'admin' },
  {
    method: 'post',
    path: '/admin/pause-reasons',
    summary: 'Create pause reason',
    access: 'admin',
    body: pauseReasonInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/admin/pause-reasons/{id}',
    summary: 'Update pause reason',
    access: 'admin',
    params: idParamSchema,
    body: pauseReasonUpdateSchema,
  },
]);

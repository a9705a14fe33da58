import { idParamSchema, inboundRouteInputSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What inbound-route-admin-routes.ts serves, as /api/openapi.json publishes it (under Routing). */
export const inboundRouteAdminOperations = defineOperations('Routing', [
  { method: 'get', path: '/admin/inbound-routes', summary: 'List inbound routes', access: 'admin' },
  {
    method: 'post',
    path: '/admin/inbound-routes',
    summary: 'Create inbound route',
    access: 'admin',
    body: inboundRouteInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'put',
    path: '/admin/inbound-routes/{id}',
    summary: 'Replace an inbound route',
    access: 'admin',
    params: idParamSchema,
    body: inboundRouteInputSchema,
  },
  {
    method: 'delete',
    path: '/admin/inbound-routes/{id}',
    summary: 'Delete inbound route',
    access: 'admin',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
]);

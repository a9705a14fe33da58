import {
  idParamSchema,
  queueInputSchema,
  queueMemberUpdateSchema,
  queueUpdateSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { memberParams } from './queue-admin-routes';

/**
 * What queue-admin-routes.ts serves, as /api/openapi.json publishes it: under Routing, with the
 * other admin settings that decide where calls go (pause reasons, inbound routes, trunks).
 */
export const queueAdminOperations = defineOperations('Routing', [
  { method: 'get', path: '/admin/queues', summary: 'List queues', access: 'admin' },
  {
    method: 'post',
    path: '/admin/queues',
    summary: 'Create queue',
    access: 'admin',
    body: queueInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/admin/queues/{id}',
    summary: 'Update queue',
    access: 'admin',
    params: idParamSchema,
    body: queueUpdateSchema,
  },
  {
    method: 'delete',
    path: '/admin/queues/{id}',
    summary: 'Delete queue',
    access: 'admin',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'put',
    path: '/admin/queues/{id}/members/{userId}',
    summary: 'Add or change a queue member',
    access: 'admin',
    params: memberParams,
    body: queueMemberUpdateSchema,
  },
  {
    method: 'delete',
    path: '/admin/queues/{id}/members/{userId}',
    summary: 'Remove a queue member',
    access: 'admin',
    params: memberParams,
    response: { status: 204, description: 'Done; no content' },
  },
]);

import { waitingAssignSchema, waitingMoveSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { callParams, queueParams } from './queue-routes';

/** What queue-routes.ts serves, as /api/openapi.json publishes it. */
export const queueOperations = defineOperations('Queues', [
  { method: 'get', path: '/queues', summary: 'List queues', access: 'agent' },
  {
    method: 'get',
    path: '/queues/{id}/waiting',
    summary: 'Get queues waiting',
    access: 'agent',
    params: queueParams,
  },
  {
    method: 'post',
    path: '/queues/{id}/waiting/{callId}/position',
    summary: 'Post queues waiting position',
    access: 'agent',
    params: callParams,
    body: waitingMoveSchema,
  },
  {
    method: 'post',
    path: '/queues/{id}/waiting/{callId}/assign',
    summary: 'Post queues waiting assign',
    access: 'supervisor',
    params: callParams,
    body: waitingAssignSchema,
  },
  {
    method: 'get',
    path: '/queues/{id}/stats',
    summary: 'Get queues stats',
    access: 'agent',
    params: queueParams,
  },
]);

import { waitingAssignSchema, waitingMoveSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { callParams, queueParams } from './queue-routes';

/** What queue-routes.ts serves, as /api/openapi.json publishes it. */
export const queueOperations = defineOperations('Queues', [
  { method: 'get', path: '/queues', summary: 'Queues and their live figures', access: 'agent' },
  {
    method: 'get',
    path: '/queues/{id}/waiting',
    summary: 'Calls waiting in a queue',
    access: 'agent',
    params: queueParams,
  },
  {
    method: 'post',
    path: '/queues/{id}/waiting/{callId}/position',
    summary: 'Move a waiting call in its queue',
    access: 'agent',
    params: callParams,
    body: waitingMoveSchema,
  },
  {
    method: 'post',
    path: '/queues/{id}/waiting/{callId}/assign',
    summary: 'Assign a waiting call to an agent',
    access: 'supervisor',
    params: callParams,
    body: waitingAssignSchema,
  },
  {
    method: 'get',
    path: '/queues/{id}/stats',
    summary: "A queue's statistics",
    access: 'agent',
    params: queueParams,
  },
]);

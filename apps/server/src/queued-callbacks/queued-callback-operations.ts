import { defineOperations } from '../openapi/operation';
import { callParams } from '../queues/queue-routes';

/** What queued-callback-routes.ts serves, as /api/openapi.json publishes it. */
export const queuedCallbackOperations = defineOperations('Queues', [
  {
    method: 'delete',
    path: '/queues/{id}/waiting/{callId}',
    summary: 'Take a callback placeholder out of its queue (the customer is not called back)',
    access: 'supervisor',
    params: callParams,
    response: { status: 204, description: 'Removed' },
  },
]);

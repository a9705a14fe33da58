import { callIdParamSchema, clickToDialResponseSchema, clickToDialSchema } from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What calls-routes.ts serves, as /api/openapi.json publishes it. */
export const callsOperations = defineOperations('Calls', [
  {
    method: 'post',
    path: '/calls/click-to-dial',
    summary: 'Click-to-dial: ring the agent, then the number',
    access: 'agent',
    body: clickToDialSchema,
    response: { schema: clickToDialResponseSchema, status: 201, description: 'Created' },
  },
  {
    method: 'post',
    path: '/calls/{id}/hangup',
    summary: 'Hang up a call',
    access: 'agent',
    params: callIdParamSchema,
  },
  { method: 'get', path: '/calls/live', summary: 'Calls in progress', access: 'supervisor' },
]);

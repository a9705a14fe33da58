import { callIdParamSchema, clickToDialSchema } from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What calls-routes.ts serves, as /api/openapi.json publishes it. */
export const callsOperations = defineOperations('Calls', [
  {
    method: 'post',
    path: '/calls/click-to-dial',
    summary: 'Create calls click to dial',
    access: 'agent',
    body: clickToDialSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'post',
    path: '/calls/{id}/hangup',
    summary: 'Post calls hangup',
    access: 'agent',
    params: callIdParamSchema,
  },
  { method: 'get', path: '/calls/live', summary: 'Get calls live', access: 'supervisor' },
]);

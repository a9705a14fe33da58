import { agentStateUpdateSchema } from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What agent-state-routes.ts serves, as /api/openapi.json publishes it. */
export const agentStateOperations = defineOperations('Agents', [
  { method: 'get', path: '/agents/me/state', summary: 'My agent state', access: 'agent' },
  {
    method: 'put',
    path: '/agents/me/state',
    summary: 'Change my agent state',
    access: 'agent',
    body: agentStateUpdateSchema,
  },
  {
    method: 'get',
    path: '/agents/{id}/state',
    summary: "An agent's state",
    access: 'supervisor',
    params: idParams,
  },
  {
    method: 'put',
    path: '/agents/{id}/state',
    summary: "Change an agent's state",
    access: 'supervisor',
    params: idParams,
    body: agentStateUpdateSchema,
  },
  {
    method: 'post',
    path: '/agents/{id}/sign-out',
    summary: 'Sign an agent out of every queue (Offline)',
    access: 'supervisor',
    params: idParams,
  },
]);

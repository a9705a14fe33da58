import { callbackDialingPolicyUpdateSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What dialing-policy-api.ts serves, as /api/openapi.json publishes it. */
export const dialingPolicyOperations = defineOperations('Dialer', [
  { method: 'get', path: '/dialer/policy', summary: 'Get dialer policy', access: 'supervisor' },
  {
    method: 'put',
    path: '/dialer/policy',
    summary: 'Set dialer policy',
    access: 'admin',
    body: callbackDialingPolicyUpdateSchema,
  },
]);

import { callbackDialingPolicyUpdateSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What dialing-policy-api.ts serves, as /api/openapi.json publishes it. */
export const dialingPolicyOperations = defineOperations('Dialer', [
  {
    method: 'get',
    path: '/dialer/policy',
    summary: "The callback dialer's dialing policy",
    access: 'supervisor',
  },
  {
    method: 'put',
    path: '/dialer/policy',
    summary: 'Change the dialing policy',
    access: 'admin',
    body: callbackDialingPolicyUpdateSchema,
  },
]);

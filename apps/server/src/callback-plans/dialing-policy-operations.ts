import { callbackDialingPolicyUpdateSchema, dialingPolicyResponseSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What dialing-policy-api.ts serves, as /api/openapi.json publishes it. */
export const dialingPolicyOperations = defineOperations('Dialer', [
  {
    method: 'get',
    path: '/dialer/policy',
    summary: "The callback dialer's dialing policy",
    access: 'supervisor',
    response: {
      description: 'The policy and the caps in force on this node',
      schema: dialingPolicyResponseSchema,
    },
  },
  {
    method: 'put',
    path: '/dialer/policy',
    summary: 'Change the dialing policy',
    access: 'admin',
    body: callbackDialingPolicyUpdateSchema,
    response: { description: 'The saved policy', schema: dialingPolicyResponseSchema },
  },
]);

import { drainStateSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What node-drain-routes.ts serves, as /api/openapi.json publishes it. */
export const nodeDrainOperations = defineOperations('Administration', [
  {
    method: 'get',
    path: '/admin/drain',
    response: { description: 'OK', schema: drainStateSchema },
    summary: "This node's drain: whether it refuses new calls, and the calls still up",
    access: 'admin',
  },
  {
    method: 'post',
    path: '/admin/drain',
    response: { description: 'Draining (already draining is not an error)', schema: drainStateSchema },
    summary: 'Drain this node: new calls refused with 503, live calls go on',
    access: 'admin',
  },
  {
    method: 'delete',
    path: '/admin/drain',
    response: { description: 'Taking calls again', schema: drainStateSchema },
    summary: 'End the drain: this node takes new calls again',
    access: 'admin',
  },
]);

import { sipBansResponseSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What sip-bans-routes.ts serves, as /api/openapi.json publishes it. */
export const sipBansOperations = defineOperations('Administration', [
  {
    method: 'get',
    path: '/admin/sip-bans',
    response: { description: 'OK', schema: sipBansResponseSchema },
    summary: 'Banned SIP sources',
    access: 'admin',
  },
  {
    method: 'delete',
    path: '/admin/sip-bans/{address}',
    summary: 'Lift a SIP ban',
    access: 'admin',
    response: { status: 204, description: 'Done; no content' },
  },
]);

import { defineOperations } from '../../openapi/operation';
import { cdrIdParamSchema } from './call-quality-routes';

/** What call-quality-routes.ts serves, as /api/openapi.json publishes it. */
export const callQualityOperations = defineOperations('Calls', [
  { method: 'get', path: '/calls/current/quality', summary: 'Get calls current quality', access: 'agent' },
  {
    method: 'get',
    path: '/cdr/{id}/quality',
    summary: 'Get cdr quality',
    access: 'agent',
    params: cdrIdParamSchema,
  },
]);

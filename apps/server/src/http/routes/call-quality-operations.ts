import { defineOperations } from '../../openapi/operation';
import { cdrIdParamSchema } from './call-quality-routes';

/** What call-quality-routes.ts serves, as /api/openapi.json publishes it. */
export const callQualityOperations = defineOperations('Calls', [
  { method: 'get', path: '/calls/current/quality', summary: 'Quality of my current call', access: 'agent' },
  {
    method: 'get',
    path: '/cdr/{id}/quality',
    summary: "A call's quality report",
    access: 'agent',
    params: cdrIdParamSchema,
  },
]);

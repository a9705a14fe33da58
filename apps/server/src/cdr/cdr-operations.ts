import { cdrExportQuerySchema, cdrSearchQuerySchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What cdr-routes.ts serves, as /api/openapi.json publishes it. */
export const cdrOperations = defineOperations('Call records', [
  { method: 'get', path: '/cdr', summary: 'List cdr', access: 'agent', query: cdrSearchQuerySchema },
  { method: 'get', path: '/cdr/queues', summary: 'Get cdr queues', access: 'agent' },
  { method: 'get', path: '/cdr/recent', summary: 'Get cdr recent', access: 'agent' },
  {
    method: 'get',
    path: '/cdr/export.csv',
    summary: 'Get cdr export csv',
    access: 'agent',
    query: cdrExportQuerySchema,
    response: { description: 'A CSV file', contentType: 'text/csv' },
  },
]);

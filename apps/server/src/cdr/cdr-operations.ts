import {
  cdrExportQuerySchema,
  cdrSearchQuerySchema,
  cdrSearchResponseSchema,
  recentCdrResponseSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What cdr-routes.ts serves, as /api/openapi.json publishes it. */
export const cdrOperations = defineOperations('Call records', [
  {
    method: 'get',
    path: '/cdr',
    response: { description: 'OK', schema: cdrSearchResponseSchema },
    summary: 'Search call records',
    access: 'agent',
    query: cdrSearchQuerySchema,
  },
  { method: 'get', path: '/cdr/queues', summary: 'Queues to filter call records by', access: 'agent' },
  {
    method: 'get',
    path: '/cdr/recent',
    response: { description: 'OK', schema: recentCdrResponseSchema },
    summary: 'My recent calls',
    access: 'agent',
  },
  {
    method: 'get',
    path: '/cdr/export.csv',
    summary: 'Export call records as CSV',
    access: 'agent',
    query: cdrExportQuerySchema,
    response: { description: 'A CSV file', contentType: 'text/csv' },
  },
]);

import {
  callDetailSchema,
  cdrExportQuerySchema,
  cdrSearchQuerySchema,
  cdrSearchResponseSchema,
  recentCdrResponseSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { cdrDetailParamsSchema } from './cdr-routes';

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
    path: '/cdr/{id}/detail',
    summary: "One call's detail: legs, transfer steps, wait, ring and talk time, recording, quality",
    access: 'agent',
    params: cdrDetailParamsSchema,
    response: { description: 'OK', schema: callDetailSchema },
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

import {
  agentReportSchema,
  callsReportSchema,
  reportQuerySchema,
  serviceLevelReportSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

const csvOr = 'JSON, or with `format=csv` the same figures as a streamed CSV download';

/** What reports-routes.ts serves, as /api/openapi.json publishes it. */
export const reportsOperations = defineOperations('Reports', [
  {
    method: 'get',
    path: '/reports/queues',
    summary: 'Queues the viewer may report on',
    access: 'supervisor',
  },
  {
    method: 'get',
    path: '/reports/calls',
    summary: 'Calls per hour or day by outcome, with the abandon rate',
    access: 'supervisor',
    query: reportQuerySchema,
    response: { description: csvOr, schema: callsReportSchema },
  },
  {
    method: 'get',
    path: '/reports/service-level',
    summary: 'Service level per queue per hour or day',
    access: 'supervisor',
    query: reportQuerySchema,
    response: { description: csvOr, schema: serviceLevelReportSchema },
  },
  {
    method: 'get',
    path: '/reports/agents',
    summary: 'Agent handle time and occupancy',
    access: 'supervisor',
    query: reportQuerySchema,
    response: { description: csvOr, schema: agentReportSchema },
  },
]);

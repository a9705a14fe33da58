import { customerImportSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What customer-csv-routes.ts serves, as /api/openapi.json publishes it. */
export const customerCsvOperations = defineOperations('Customers', [
  { method: 'get', path: '/customers/export.csv', summary: 'Export customers as CSV', access: 'agent' },
  {
    method: 'post',
    path: '/customers/import',
    summary: 'Import customers',
    access: 'supervisor',
    body: customerImportSchema,
    response: { status: 201, description: 'Created' },
  },
]);

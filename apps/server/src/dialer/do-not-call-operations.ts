import {
  doNotCallCreateSchema,
  doNotCallImportResponseSchema,
  doNotCallListQuerySchema,
  doNotCallListResponseSchema,
} from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What do-not-call-api.ts serves, as /api/openapi.json publishes it. */
export const doNotCallOperations = defineOperations('Dialer', [
  {
    method: 'get',
    path: '/do-not-call',
    response: { description: 'OK', schema: doNotCallListResponseSchema },
    summary: 'The do-not-call list',
    access: 'supervisor',
    query: doNotCallListQuerySchema,
  },
  {
    method: 'post',
    path: '/do-not-call',
    summary: 'Add a number to the do-not-call list',
    access: 'supervisor',
    body: doNotCallCreateSchema,
  },
  {
    method: 'post',
    path: '/do-not-call/import',
    response: { description: 'OK', schema: doNotCallImportResponseSchema },
    summary: 'Import do-not-call numbers from CSV',
    access: 'supervisor',
    upload: 'text/csv',
  },
  {
    method: 'delete',
    path: '/do-not-call/{id}',
    summary: 'Remove a number from the do-not-call list',
    access: 'supervisor',
    params: idParams,
    response: { status: 204, description: 'Done; no content' },
  },
]);

import { doNotCallCreateSchema, doNotCallListQuerySchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { idParams } from './do-not-call-api';

/** What do-not-call-api.ts serves, as /api/openapi.json publishes it. */
export const doNotCallOperations = defineOperations('Dialer', [
  {
    method: 'get',
    path: '/do-not-call',
    summary: 'List do not call',
    access: 'supervisor',
    query: doNotCallListQuerySchema,
  },
  {
    method: 'post',
    path: '/do-not-call',
    summary: 'Create do not call',
    access: 'supervisor',
    body: doNotCallCreateSchema,
  },
  { method: 'post', path: '/do-not-call/import', summary: 'Create do not call import', access: 'supervisor' },
  {
    method: 'delete',
    path: '/do-not-call/{id}',
    summary: 'Delete do not call',
    access: 'supervisor',
    params: idParams,
    response: { status: 204, description: 'Done; no content' },
  },
]);

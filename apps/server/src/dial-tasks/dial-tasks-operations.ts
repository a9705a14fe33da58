import {
  dialTaskCreateSchema,
  dialTaskHistoryResponseSchema,
  dialTaskImportResponseSchema,
  dialTaskImportSchema,
  dialTaskListQuerySchema,
  dialTaskListResponseSchema,
  dialTaskResponseSchema,
  dialTaskUpdateSchema,
} from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What dial-tasks-routes.ts serves, as /api/openapi.json publishes it. */
export const dialTasksOperations = defineOperations('Dial tasks', [
  {
    method: 'get',
    path: '/dial-tasks',
    response: { description: 'OK', schema: dialTaskListResponseSchema },
    summary: 'List dial tasks',
    access: 'agent',
    query: dialTaskListQuerySchema,
  },
  {
    method: 'post',
    path: '/dial-tasks',
    summary: 'Create dial task',
    access: 'supervisor',
    body: dialTaskCreateSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'post',
    path: '/dial-tasks/import',
    summary: 'Import dial tasks',
    access: 'supervisor',
    body: dialTaskImportSchema,
    response: { schema: dialTaskImportResponseSchema, status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/dial-tasks/{id}',
    response: { description: 'OK', schema: dialTaskResponseSchema },
    summary: 'Get dial task',
    access: 'agent',
    params: idParams,
  },
  {
    method: 'patch',
    path: '/dial-tasks/{id}',
    summary: 'Update dial task',
    access: 'agent',
    params: idParams,
    body: dialTaskUpdateSchema,
  },
  {
    method: 'delete',
    path: '/dial-tasks/{id}',
    summary: 'Delete dial task',
    access: 'supervisor',
    params: idParams,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'get',
    path: '/dial-tasks/{id}/history',
    response: { description: 'OK', schema: dialTaskHistoryResponseSchema },
    summary: "A dial task's history",
    access: 'supervisor',
    params: idParams,
  },
]);

import { flowCreateSchema, flowLiveQuerySchema, flowUpdateSchema, idParamSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { versionParamsSchema } from './flows-routes';

/** What flows-routes.ts serves, as /api/openapi.json publishes it. */
export const flowsOperations = defineOperations('Call flows', [
  { method: 'get', path: '/admin/flow-prompts', summary: 'List flow prompts', access: 'supervisor' },
  { method: 'get', path: '/admin/flows', summary: 'List flows', access: 'supervisor' },
  {
    method: 'post',
    path: '/admin/flows',
    summary: 'Create flow',
    access: 'supervisor',
    body: flowCreateSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/admin/flows/{id}',
    summary: 'Get flow',
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'put',
    path: '/admin/flows/{id}',
    summary: 'Set flow',
    access: 'supervisor',
    params: idParamSchema,
    body: flowUpdateSchema,
  },
  {
    method: 'delete',
    path: '/admin/flows/{id}',
    summary: 'Delete flow',
    access: 'supervisor',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'post',
    path: '/admin/flows/{id}/publish',
    summary: 'Post flows publish',
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'post',
    path: '/admin/flows/{id}/test-call',
    summary: 'Post flows test call',
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'get',
    path: '/admin/flows/{id}/live',
    summary: 'Get flows live',
    access: 'supervisor',
    params: idParamSchema,
    query: flowLiveQuerySchema,
  },
  {
    method: 'get',
    path: '/admin/flows/{id}/versions',
    summary: 'Get flows versions',
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'post',
    path: '/admin/flows/{id}/versions/{version}/restore',
    summary: 'Post flows versions restore',
    access: 'supervisor',
    params: versionParamsSchema,
  },
]);

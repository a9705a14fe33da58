import { flowCreateSchema, flowLiveQuerySchema, flowUpdateSchema, idParamSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { versionParamsSchema } from './flows-routes';

/** What flows-routes.ts serves, as /api/openapi.json publishes it. */
export const flowsOperations = defineOperations('Call flows', [
  {
    method: 'get',
    path: '/admin/flow-prompts',
    summary: 'Prompts call flows may play',
    access: 'supervisor',
  },
  { method: 'get', path: '/admin/flows', summary: 'List call flows', access: 'supervisor' },
  {
    method: 'post',
    path: '/admin/flows',
    summary: 'Create a call flow',
    access: 'supervisor',
    body: flowCreateSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/admin/flows/{id}',
    summary: 'Get a call flow',
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'put',
    path: '/admin/flows/{id}',
    summary: 'Save a call flow draft',
    access: 'supervisor',
    params: idParamSchema,
    body: flowUpdateSchema,
  },
  {
    method: 'delete',
    path: '/admin/flows/{id}',
    summary: 'Delete a call flow',
    access: 'supervisor',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'post',
    path: '/admin/flows/{id}/publish',
    summary: 'Publish a call flow',
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'post',
    path: '/admin/flows/{id}/test-call',
    summary: 'Place a test call through a call flow',
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'get',
    path: '/admin/flows/{id}/live',
    summary: 'Calls in a call flow right now',
    access: 'supervisor',
    params: idParamSchema,
    query: flowLiveQuerySchema,
  },
  {
    method: 'get',
    path: '/admin/flows/{id}/versions',
    summary: "A call flow's published versions",
    access: 'supervisor',
    params: idParamSchema,
  },
  {
    method: 'post',
    path: '/admin/flows/{id}/versions/{version}/restore',
    summary: 'Restore a published version of a call flow',
    access: 'supervisor',
    params: versionParamsSchema,
  },
]);

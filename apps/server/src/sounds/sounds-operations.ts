import { idParamSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { audioQuery, listQuery, updateSchema } from './sounds-routes';

/** What sounds-routes.ts serves, as /api/openapi.json publishes it. */
export const soundsOperations = defineOperations('Sounds', [
  { method: 'get', path: '/admin/sounds', summary: 'List sounds', access: 'admin', query: listQuery },
  { method: 'get', path: '/admin/sounds/prompts', summary: 'Get sounds prompts', access: 'admin' },
  {
    method: 'get',
    path: '/admin/sounds/prompts/{name}/audio',
    summary: 'Get sounds prompts audio',
    access: 'admin',
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
  {
    method: 'post',
    path: '/admin/sounds',
    summary: 'Create sound',
    access: 'admin',
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/admin/sounds/{id}/audio',
    summary: 'Get sounds audio',
    access: 'admin',
    params: idParamSchema,
    query: audioQuery,
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
  {
    method: 'put',
    path: '/admin/sounds/{id}',
    summary: 'Set sound',
    access: 'admin',
    params: idParamSchema,
    body: updateSchema,
  },
  {
    method: 'delete',
    path: '/admin/sounds/{id}',
    summary: 'Delete sound',
    access: 'admin',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
]);

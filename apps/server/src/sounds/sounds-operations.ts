import { idParamSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { audioQuery, listQuery, updateSchema } from './sounds-routes';

/** What sounds-routes.ts serves, as /api/openapi.json publishes it. */
export const soundsOperations = defineOperations('Sounds', [
  { method: 'get', path: '/admin/sounds', summary: 'List sounds', access: 'admin', query: listQuery },
  { method: 'get', path: '/admin/sounds/prompts', summary: 'Built-in prompts', access: 'admin' },
  {
    method: 'get',
    path: '/admin/sounds/prompts/{name}/audio',
    summary: 'Play a built-in prompt',
    access: 'admin',
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
  {
    method: 'post',
    path: '/admin/sounds',
    summary: 'Upload a sound',
    description: 'multipart/form-data: `file`, and optionally `name` and `folder`.',
    access: 'admin',
    upload: 'multipart/form-data',
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/admin/sounds/{id}/audio',
    summary: 'Play or download a sound',
    access: 'admin',
    params: idParamSchema,
    query: audioQuery,
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
  {
    method: 'put',
    path: '/admin/sounds/{id}',
    summary: 'Rename or move a sound',
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

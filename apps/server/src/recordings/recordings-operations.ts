import { idParamSchema, recordingSearchQuerySchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What recordings-routes.ts serves, as /api/openapi.json publishes it. */
export const recordingsOperations = defineOperations('Recordings', [
  {
    method: 'get',
    path: '/recordings',
    summary: 'List recordings',
    access: 'agent',
    params: idParamSchema,
    query: recordingSearchQuerySchema,
  },
  {
    method: 'get',
    path: '/recordings/{id}/audio',
    summary: 'Get recordings audio',
    access: 'agent',
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
  {
    method: 'get',
    path: '/recordings/{id}/download',
    summary: 'Get recordings download',
    access: 'agent',
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
]);

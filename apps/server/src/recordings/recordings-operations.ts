import { idParamSchema, recordingListResponseSchema, recordingSearchQuerySchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What recordings-routes.ts serves, as /api/openapi.json publishes it. */
export const recordingsOperations = defineOperations('Recordings', [
  {
    method: 'get',
    path: '/recordings',
    response: { description: 'OK', schema: recordingListResponseSchema },
    summary: 'List recordings',
    access: 'agent',
    query: recordingSearchQuerySchema,
  },
  {
    method: 'get',
    path: '/recordings/{id}/audio',
    summary: 'Play a recording (Range requests)',
    access: 'agent',
    params: idParamSchema,
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
  {
    method: 'get',
    path: '/recordings/{id}/download',
    summary: 'Download a recording',
    access: 'agent',
    params: idParamSchema,
    response: { description: 'The file', contentType: 'application/octet-stream' },
  },
]);

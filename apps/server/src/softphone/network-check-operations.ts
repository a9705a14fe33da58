import { networkCheckStartSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { idParamSchema } from './network-check-routes';

/** What network-check-routes.ts serves, as /api/openapi.json publishes it. */
export const networkCheckOperations = defineOperations('Softphone', [
  {
    method: 'post',
    path: '/softphone/network-check',
    summary: 'Start a softphone network check',
    access: 'agent',
    body: networkCheckStartSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/softphone/network-check/{id}',
    summary: 'A network check and its results',
    access: 'agent',
    params: idParamSchema,
  },
  {
    method: 'delete',
    path: '/softphone/network-check/{id}',
    summary: 'Stop a network check',
    access: 'agent',
    params: idParamSchema,
  },
]);

import { callbackServiceInputSchema, callbackServiceUpdateSchema, idParamSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { requestsQuery } from './callback-services-routes';

/** What callback-services-routes.ts serves, as /api/openapi.json publishes it. */
export const callbackServicesOperations = defineOperations('Callback services', [
  { method: 'get', path: '/admin/callback-services', summary: 'List callback services', access: 'admin' },
  {
    method: 'get',
    path: '/admin/callback-services/breaker',
    summary: "The callback dialer's circuit breaker",
    access: 'admin',
  },
  {
    method: 'get',
    path: '/admin/callback-services/{id}',
    summary: 'Get callback service',
    access: 'admin',
    params: idParamSchema,
  },
  {
    method: 'post',
    path: '/admin/callback-services',
    summary: 'Create callback service',
    access: 'admin',
    body: callbackServiceInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'put',
    path: '/admin/callback-services/{id}',
    summary: 'Change a callback service',
    access: 'admin',
    params: idParamSchema,
    body: callbackServiceUpdateSchema,
  },
  {
    method: 'delete',
    path: '/admin/callback-services/{id}',
    summary: 'Delete callback service',
    access: 'admin',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'get',
    path: '/admin/callback-services/{id}/requests',
    summary: "A callback service's requests",
    access: 'admin',
    params: idParamSchema,
    query: requestsQuery,
  },
]);

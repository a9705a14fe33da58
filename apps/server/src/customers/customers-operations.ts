import {
  customerCreateSchema,
  customerDetailResponseSchema,
  customerListQuerySchema,
  customerListResponseSchema,
  customerLookupQuerySchema,
  customerLookupResponseSchema,
  customerUpdateSchema,
} from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What customers-routes.ts serves, as /api/openapi.json publishes it. */
export const customersOperations = defineOperations('Customers', [
  {
    method: 'get',
    path: '/customers',
    response: { description: 'OK', schema: customerListResponseSchema },
    summary: 'List customers',
    access: 'agent',
    query: customerListQuerySchema,
  },
  {
    method: 'get',
    path: '/customers/lookup',
    response: { description: 'OK', schema: customerLookupResponseSchema },
    summary: 'Look up the customer of a number or call',
    access: 'agent',
    query: customerLookupQuerySchema,
  },
  {
    method: 'get',
    path: '/customers/{id}',
    response: { description: 'OK', schema: customerDetailResponseSchema },
    summary: 'Get customer',
    access: 'agent',
    params: idParams,
  },
  {
    method: 'post',
    path: '/customers',
    summary: 'Create customer',
    access: 'agent',
    body: customerCreateSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/customers/{id}',
    summary: 'Update customer',
    access: 'agent',
    params: idParams,
    body: customerUpdateSchema,
  },
  {
    method: 'delete',
    path: '/customers/{id}',
    summary: 'Delete customer',
    access: 'agent',
    params: idParams,
    response: { status: 204, description: 'Done; no content' },
  },
]);

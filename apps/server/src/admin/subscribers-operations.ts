import {
  adminSubscribersQuerySchema,
  callerIdInputSchema,
  createSubscriberSchema,
  creditRequestSchema,
  idParamSchema,
  pageQuerySchema,
  updateSubscriberSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { callerIdParamsSchema } from './subscribers-routes';

/** What subscribers-routes.ts serves, as /api/openapi.json publishes it. */
export const subscribersOperations = defineOperations('Prepaid subscribers', [
  {
    method: 'get',
    path: '/admin/subscribers',
    summary: 'List subscribers',
    access: 'admin',
    query: adminSubscribersQuerySchema,
  },
  {
    method: 'post',
    path: '/admin/subscribers',
    summary: 'Create subscriber',
    access: 'admin',
    body: createSubscriberSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/admin/subscribers/{id}',
    summary: 'Get subscriber',
    access: 'admin',
    params: idParamSchema,
  },
  {
    method: 'patch',
    path: '/admin/subscribers/{id}',
    summary: 'Update subscriber',
    access: 'admin',
    params: idParamSchema,
    body: updateSubscriberSchema,
  },
  {
    method: 'post',
    path: '/admin/subscribers/{id}/credit',
    summary: "Credit or debit a subscriber's balance",
    access: 'admin',
    params: idParamSchema,
    body: creditRequestSchema,
  },
  {
    method: 'get',
    path: '/admin/subscribers/{id}/ledger',
    summary: "A subscriber's balance movements",
    access: 'admin',
    params: idParamSchema,
    query: pageQuerySchema,
  },
  {
    method: 'get',
    path: '/admin/subscribers/{id}/calls',
    summary: "A subscriber's calls",
    access: 'admin',
    params: idParamSchema,
    query: pageQuerySchema,
  },
  {
    method: 'get',
    path: '/admin/subscribers/{id}/caller-ids',
    summary: "A subscriber's caller IDs",
    access: 'admin',
    params: idParamSchema,
  },
  {
    method: 'post',
    path: '/admin/subscribers/{id}/caller-ids',
    summary: 'Add a caller ID to a subscriber',
    access: 'admin',
    params: idParamSchema,
    body: callerIdInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'delete',
    path: '/admin/subscribers/{id}/caller-ids/{callerIdId}',
    summary: "Remove a subscriber's caller ID",
    access: 'admin',
    params: callerIdParamsSchema,
    response: { status: 204, description: 'Done; no content' },
  },
]);

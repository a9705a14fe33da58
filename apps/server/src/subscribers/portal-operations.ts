import {
  callerIdInputSchema,
  changePasswordSchema,
  changePinSchema,
  pageQuerySchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { callerIdParamSchema, callerIdQuerySchema } from './portal-routes';

/** What portal-routes.ts serves, as /api/openapi.json publishes it. */
export const portalOperations = defineOperations('Subscriber portal', [
  { method: 'get', path: '/portal/me', summary: 'Get portal me', access: 'subscriber' },
  {
    method: 'get',
    path: '/portal/ledger',
    summary: 'Get portal ledger',
    access: 'subscriber',
    query: pageQuerySchema,
  },
  {
    method: 'get',
    path: '/portal/calls',
    summary: 'Get portal calls',
    access: 'subscriber',
    query: pageQuerySchema,
  },
  { method: 'get', path: '/portal/caller-ids', summary: 'Get portal caller ids', access: 'subscriber' },
  {
    method: 'post',
    path: '/portal/caller-ids',
    summary: 'Create portal caller id',
    access: 'subscriber',
    body: callerIdInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'delete',
    path: '/portal/caller-ids/{id}',
    summary: 'Delete portal caller id',
    access: 'subscriber',
    params: callerIdParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'delete',
    path: '/portal/caller-ids',
    summary: 'Delete portal caller ids',
    access: 'subscriber',
    query: callerIdQuerySchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'put',
    path: '/portal/pin',
    summary: 'Set portal pin',
    access: 'subscriber',
    body: changePinSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'put',
    path: '/portal/password',
    summary: 'Set portal password',
    access: 'subscriber',
    body: changePasswordSchema,
    response: { status: 204, description: 'Done; no content' },
  },
]);

import {
  callerIdInputSchema,
  callerIdsResponseSchema,
  changePasswordSchema,
  changePinSchema,
  ledgerResponseSchema,
  pageQuerySchema,
  portalAccountResponseSchema,
  portalCallsResponseSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { callerIdParamSchema, callerIdQuerySchema } from './portal-routes';

/** What portal-routes.ts serves, as /api/openapi.json publishes it. */
export const portalOperations = defineOperations('Subscriber portal', [
  {
    method: 'get',
    path: '/portal/me',
    response: { description: 'OK', schema: portalAccountResponseSchema },
    summary: 'My prepaid account',
    access: 'subscriber',
  },
  {
    method: 'get',
    path: '/portal/ledger',
    response: { description: 'OK', schema: ledgerResponseSchema },
    summary: 'My balance movements',
    access: 'subscriber',
    query: pageQuerySchema,
  },
  {
    method: 'get',
    path: '/portal/calls',
    response: { description: 'OK', schema: portalCallsResponseSchema },
    summary: 'My calls',
    access: 'subscriber',
    query: pageQuerySchema,
  },
  {
    method: 'get',
    path: '/portal/caller-ids',
    response: { description: 'OK', schema: callerIdsResponseSchema },
    summary: 'My caller IDs',
    access: 'subscriber',
  },
  {
    method: 'post',
    path: '/portal/caller-ids',
    summary: 'Add a caller ID to my account',
    access: 'subscriber',
    body: callerIdInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'delete',
    path: '/portal/caller-ids/{id}',
    summary: 'Remove one of my caller IDs',
    access: 'subscriber',
    params: callerIdParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'delete',
    path: '/portal/caller-ids',
    summary: 'Remove one of my caller IDs by number',
    access: 'subscriber',
    query: callerIdQuerySchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'put',
    path: '/portal/pin',
    summary: 'Change my PIN',
    access: 'subscriber',
    body: changePinSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'put',
    path: '/portal/password',
    summary: 'Change my password',
    access: 'subscriber',
    body: changePasswordSchema,
    response: { status: 204, description: 'Done; no content' },
  },
]);

import {
  callbackPlanCreateSchema,
  callbackPlanListQuerySchema,
  callbackPlanListResponseSchema,
  callbackPlanResponseSchema,
  callbackPlanUpdateSchema,
} from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What callback-plans-routes.ts serves, as /api/openapi.json publishes it. */
export const callbackPlansOperations = defineOperations('Callback plans', [
  {
    method: 'get',
    path: '/callback-plans',
    response: { description: 'OK', schema: callbackPlanListResponseSchema },
    summary: 'List callback plans',
    access: 'agent',
    query: callbackPlanListQuerySchema,
  },
  {
    method: 'get',
    path: '/callback-plans/{id}',
    response: { description: 'OK', schema: callbackPlanResponseSchema },
    summary: 'Get callback plan',
    access: 'agent',
    params: idParams,
  },
  {
    method: 'post',
    path: '/callback-plans',
    summary: 'Create callback plan',
    access: 'agent',
    body: callbackPlanCreateSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/callback-plans/{id}',
    summary: 'Update callback plan',
    access: 'agent',
    params: idParams,
    body: callbackPlanUpdateSchema,
  },
]);

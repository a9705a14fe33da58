import {
  dispositionCodeInputSchema,
  dispositionCodeUpdateSchema,
  dispositionRequiredSchema,
  wrapUpDispositionSchema,
  wrapUpExtendSchema,
} from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What disposition-routes.ts serves, as /api/openapi.json publishes it. */
export const dispositionOperations = defineOperations('Dispositions', [
  {
    method: 'get',
    path: '/admin/dispositions',
    summary: 'Disposition codes and the queues that require them',
    access: 'admin',
  },
  {
    method: 'post',
    path: '/admin/disposition-codes',
    summary: 'Create disposition code',
    access: 'admin',
    body: dispositionCodeInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/admin/disposition-codes/{id}',
    summary: 'Update disposition code',
    access: 'admin',
    params: idParams,
    body: dispositionCodeUpdateSchema,
  },
  {
    method: 'put',
    path: '/admin/dispositions/queues/{id}',
    summary: 'Whether a queue requires a disposition',
    access: 'admin',
    params: idParams,
    body: dispositionRequiredSchema,
  },
  { method: 'get', path: '/agents/me/wrapup', summary: 'My wrap-up', access: 'agent' },
  {
    method: 'put',
    path: '/agents/me/wrapup',
    summary: 'Set the disposition of my wrap-up',
    access: 'agent',
    body: wrapUpDispositionSchema,
  },
  {
    method: 'post',
    path: '/agents/me/wrapup/extend',
    summary: 'Extend my wrap-up time',
    access: 'agent',
    body: wrapUpExtendSchema,
  },
  {
    method: 'post',
    path: '/agents/me/wrapup/done',
    summary: 'End my wrap-up',
    access: 'agent',
  },
]);

import {
  dispositionCodeInputSchema,
  dispositionCodeUpdateSchema,
  dispositionRequiredSchema,
  wrapUpDispositionSchema,
  wrapUpExtendSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { idParams } from './disposition-routes';

/** What disposition-routes.ts serves, as /api/openapi.json publishes it. */
export const dispositionOperations = defineOperations('Dispositions', [
  { method: 'get', path: '/admin/dispositions', summary: 'List dispositions', access: 'admin' },
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
    summary: 'Set dispositions queue',
    access: 'admin',
    params: idParams,
    body: dispositionRequiredSchema,
  },
  { method: 'get', path: '/agents/me/wrapup', summary: 'Get agents me wrapup', access: 'agent' },
  {
    method: 'put',
    path: '/agents/me/wrapup',
    summary: 'Set agents me wrapup',
    access: 'agent',
    body: wrapUpDispositionSchema,
  },
  {
    method: 'post',
    path: '/agents/me/wrapup/extend',
    summary: 'Create agents me wrapup extend',
    access: 'agent',
    body: wrapUpExtendSchema,
  },
  {
    method: 'post',
    path: '/agents/me/wrapup/done',
    summary: 'Create agents me wrapup done',
    access: 'agent',
  },
]);

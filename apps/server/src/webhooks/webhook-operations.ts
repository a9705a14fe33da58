import { webhookInputSchema, webhookUpdateSchema } from '@switchboard/shared';
import { idParams } from '../http/id-params';
import { defineOperations } from '../openapi/operation';

/** What webhook-routes.ts serves, as /api/openapi.json publishes it. */
export const webhookOperations = defineOperations('Integrations', [
  { method: 'get', path: '/admin/webhooks', summary: 'List webhooks', access: 'admin' },
  {
    method: 'post',
    path: '/admin/webhooks',
    summary: 'Create webhook',
    access: 'admin',
    body: webhookInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/admin/webhooks/{id}',
    summary: 'Update webhook',
    access: 'admin',
    params: idParams,
    body: webhookUpdateSchema,
  },
  {
    method: 'delete',
    path: '/admin/webhooks/{id}',
    summary: 'Delete webhook',
    access: 'admin',
    params: idParams,
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'get',
    path: '/admin/webhooks/{id}/deliveries',
    summary: "A webhook's recent deliveries",
    access: 'admin',
    params: idParams,
  },
  {
    method: 'post',
    path: '/admin/webhooks/{id}/ping',
    summary: 'Send a test delivery to a webhook',
    access: 'admin',
    params: idParams,
  },
]);

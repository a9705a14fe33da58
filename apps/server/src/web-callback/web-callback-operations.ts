import {
  callbackNumberResponseSchema,
  pageQuerySchema,
  phoneNumberPartsSchema,
  startWebCallbackSchema,
  webCallbackSettingsSchema,
  webCallbacksResponseSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';
import { idParamSchema } from './web-callback-routes';

/** What web-callback-routes.ts serves, as /api/openapi.json publishes it. */
export const webCallbackOperations = defineOperations('Web callback', [
  {
    method: 'get',
    path: '/portal/callback-number',
    response: { description: 'OK', schema: callbackNumberResponseSchema },
    summary: 'My callback number',
    access: 'subscriber',
  },
  {
    method: 'put',
    path: '/portal/callback-number',
    summary: 'Set my callback number',
    access: 'subscriber',
    body: phoneNumberPartsSchema,
  },
  {
    method: 'post',
    path: '/portal/web-callbacks',
    summary: 'Start a web callback',
    access: 'subscriber',
    body: startWebCallbackSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'get',
    path: '/portal/web-callbacks',
    response: { description: 'OK', schema: webCallbacksResponseSchema },
    summary: 'My web callbacks',
    access: 'subscriber',
    query: pageQuerySchema,
  },
  {
    method: 'get',
    path: '/portal/web-callbacks/{id}',
    summary: 'A web callback',
    access: 'subscriber',
    params: idParamSchema,
  },
  {
    method: 'delete',
    path: '/portal/web-callbacks/{id}',
    summary: 'Cancel a web callback',
    access: 'subscriber',
    params: idParamSchema,
    response: { status: 204, description: 'Done; no content' },
  },
  { method: 'get', path: '/admin/web-callback', summary: 'Web callback settings', access: 'admin' },
  {
    method: 'put',
    path: '/admin/web-callback',
    summary: 'Change the web callback settings',
    access: 'admin',
    body: webCallbackSettingsSchema,
  },
]);

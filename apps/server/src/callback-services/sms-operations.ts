import { defineOperations } from '../openapi/operation';

/** What sms-routes.ts serves, as /api/openapi.json publishes it. */
export const smsOperations = defineOperations('Callback services', [
  {
    method: 'post',
    path: '/sms/inbound',
    summary: 'SMS gateway webhook (signed with the shared secret)',
    access: 'public',
  },
  { method: 'get', path: '/portal/sms-callback', summary: 'My SMS callback number', access: 'subscriber' },
]);

import { defineOperations } from '../openapi/operation';

/** What sms-routes.ts serves, as /api/openapi.json publishes it. */
export const smsOperations = defineOperations('Callback services', [
  { method: 'post', path: '/sms/inbound', summary: 'Create sms inbound', access: 'public' },
  { method: 'get', path: '/portal/sms-callback', summary: 'Get portal sms callback', access: 'subscriber' },
]);

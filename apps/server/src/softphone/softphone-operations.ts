import { defineOperations } from '../openapi/operation';

/** What softphone-routes.ts serves, as /api/openapi.json publishes it. */
export const softphoneOperations = defineOperations('Softphone', [
  { method: 'get', path: '/softphone/config', summary: "My softphone's SIP settings", access: 'agent' },
]);

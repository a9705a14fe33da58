import { defineOperations } from '../openapi/operation';

/** What wallboard-routes.ts serves, as /api/openapi.json publishes it. */
export const wallboardOperations = defineOperations('Monitoring', [
  { method: 'get', path: '/wallboard', summary: 'The wallboard', access: 'supervisor' },
]);

import { defineOperations } from '../../openapi/operation';

/** What directory.ts serves, as /api/openapi.json publishes it. */
export const directoryOperations = defineOperations('Users', [
  { method: 'get', path: '/agents', summary: 'Agents and their states', access: 'supervisor' },
  { method: 'get', path: '/admin/users', summary: 'List users', access: 'admin' },
]);

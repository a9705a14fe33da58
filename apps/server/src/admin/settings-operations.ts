import { settingsUpdateSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What settings-routes.ts serves, as /api/openapi.json publishes it. */
export const settingsOperations = defineOperations('Administration', [
  { method: 'get', path: '/admin/settings', summary: 'Read the settings', access: 'admin' },
  {
    method: 'put',
    path: '/admin/settings',
    summary: 'Change the settings',
    access: 'admin',
    body: settingsUpdateSchema,
  },
]);

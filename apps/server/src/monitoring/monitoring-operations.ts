import { callIdParamSchema, monitoringSettingsSchema, monitorRequestSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What monitoring-routes.ts serves, as /api/openapi.json publishes it. */
export const monitoringOperations = defineOperations('Monitoring', [
  {
    method: 'post',
    path: '/calls/{id}/monitor',
    summary: 'Post calls monitor',
    access: 'agent',
    params: callIdParamSchema,
    body: monitorRequestSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/calls/{id}/monitor',
    summary: 'Update calls monitor',
    access: 'supervisor',
    params: callIdParamSchema,
    body: monitorRequestSchema,
  },
  {
    method: 'delete',
    path: '/calls/{id}/monitor',
    summary: 'Delete calls monitor',
    access: 'supervisor',
    params: callIdParamSchema,
  },
  { method: 'get', path: '/monitoring/calls', summary: 'Get monitoring calls', access: 'supervisor' },
  { method: 'get', path: '/monitoring/settings', summary: 'Get monitoring settings', access: 'admin' },
  {
    method: 'put',
    path: '/monitoring/settings',
    summary: 'Set monitoring settings',
    access: 'admin',
    body: monitoringSettingsSchema,
  },
]);

import { callIdParamSchema, monitoringSettingsSchema, monitorRequestSchema } from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What monitoring-routes.ts serves, as /api/openapi.json publishes it. */
export const monitoringOperations = defineOperations('Monitoring', [
  {
    method: 'post',
    path: '/calls/{id}/monitor',
    summary: 'Listen, whisper or barge in on a call',
    access: 'agent',
    params: callIdParamSchema,
    body: monitorRequestSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/calls/{id}/monitor',
    summary: 'Change the monitoring mode',
    access: 'supervisor',
    params: callIdParamSchema,
    body: monitorRequestSchema,
  },
  {
    method: 'delete',
    path: '/calls/{id}/monitor',
    summary: 'Stop monitoring a call',
    access: 'supervisor',
    params: callIdParamSchema,
  },
  {
    method: 'get',
    path: '/monitoring/calls',
    summary: 'Calls a supervisor may monitor',
    access: 'supervisor',
  },
  { method: 'get', path: '/monitoring/settings', summary: 'Monitoring settings', access: 'admin' },
  {
    method: 'put',
    path: '/monitoring/settings',
    summary: 'Change the monitoring settings',
    access: 'admin',
    body: monitoringSettingsSchema,
  },
]);

import { portalLoginRequestSchema } from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What portal-auth.ts serves, as /api/openapi.json publishes it. */
export const portalAuthOperations = defineOperations('Subscriber portal', [
  {
    method: 'post',
    path: '/portal/auth/login',
    summary: 'Create portal auth login',
    access: 'public',
    body: portalLoginRequestSchema,
  },
  {
    method: 'post',
    path: '/portal/auth/logout',
    summary: 'Create portal auth logout',
    access: 'public',
    response: { status: 204, description: 'Done; no content' },
  },
  { method: 'get', path: '/portal/auth/me', summary: 'Get portal auth me', access: 'subscriber' },
]);

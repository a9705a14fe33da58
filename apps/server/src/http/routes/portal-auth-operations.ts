import { portalLoginRequestSchema, portalMeResponseSchema } from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What portal-auth.ts serves, as /api/openapi.json publishes it. */
export const portalAuthOperations = defineOperations('Subscriber portal', [
  {
    method: 'post',
    path: '/portal/auth/login',
    summary: 'Sign in to the subscriber portal',
    access: 'public',
    body: portalLoginRequestSchema,
  },
  {
    method: 'post',
    path: '/portal/auth/logout',
    summary: 'Sign out of the subscriber portal',
    access: 'public',
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'get',
    path: '/portal/auth/me',
    response: { description: 'OK', schema: portalMeResponseSchema },
    summary: 'The signed-in subscriber',
    access: 'subscriber',
  },
]);

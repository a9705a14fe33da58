import { loginRequestSchema, meResponseSchema, updateMyProfileSchema } from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What auth.ts serves, as /api/openapi.json publishes it. */
export const authOperations = defineOperations('Sign-in', [
  {
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in to the desk',
    access: 'public',
    body: loginRequestSchema,
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'Sign out of the desk',
    access: 'public',
    response: { status: 204, description: 'Done; no content' },
  },
  {
    method: 'get',
    path: '/auth/me',
    response: { description: 'OK', schema: meResponseSchema },
    summary: 'The signed-in user',
    access: 'agent',
  },
  {
    method: 'patch',
    path: '/auth/me',
    summary: 'Change my profile',
    access: 'agent',
    body: updateMyProfileSchema,
  },
]);

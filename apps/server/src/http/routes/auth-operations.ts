import { loginRequestSchema, updateMyProfileSchema } from '@switchboard/shared';
import { defineOperations } from '../../openapi/operation';

/** What auth.ts serves, as /api/openapi.json publishes it. */
export const authOperations = defineOperations('Sign-in', [
  {
    method: 'post',
    path: '/auth/login',
    summary: 'Create auth login',
    access: 'public',
    body: loginRequestSchema,
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'Create auth logout',
    access: 'public',
    response: { status: 204, description: 'Done; no content' },
  },
  { method: 'get', path: '/auth/me', summary: 'Get auth me', access: 'agent' },
  {
    method: 'patch',
    path: '/auth/me',
    summary: 'Update auth me',
    access: 'agent',
    body: updateMyProfileSchema,
  },
]);

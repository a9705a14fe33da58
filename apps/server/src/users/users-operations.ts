import {
  createUserSchema,
  extensionInputSchema,
  idParamSchema,
  resetPasswordSchema,
  updateExtensionSchema,
  updateUserSchema,
} from '@switchboard/shared';
import { defineOperations } from '../openapi/operation';

/** What users-routes.ts serves, as /api/openapi.json publishes it. */
export const usersOperations = defineOperations('Users', [
  {
    method: 'post',
    path: '/admin/users',
    summary: 'Create user',
    access: 'admin',
    body: createUserSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/admin/users/{id}',
    summary: 'Update user',
    access: 'admin',
    params: idParamSchema,
    body: updateUserSchema,
  },
  {
    method: 'post',
    path: '/admin/users/{id}/password',
    summary: "Reset a user's password",
    access: 'admin',
    params: idParamSchema,
    body: resetPasswordSchema,
  },
  {
    method: 'post',
    path: '/admin/users/{id}/extension',
    summary: 'Give a user an extension',
    access: 'admin',
    params: idParamSchema,
    body: extensionInputSchema,
    response: { status: 201, description: 'Created' },
  },
  {
    method: 'patch',
    path: '/admin/users/{id}/extension',
    summary: "Change a user's extension",
    access: 'admin',
    params: idParamSchema,
    body: updateExtensionSchema,
  },
]);

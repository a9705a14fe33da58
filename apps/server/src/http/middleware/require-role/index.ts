import { type Role, roleAtLeast } from '@switchboard/shared';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../api-error';
import type { AppEnv } from '../../app-env';

/** 401 without a desk session, 403 when the user's role is below `role`. */
export function requireRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (!user) throw ApiError.unauthenticated();
    if (!roleAtLeast(user.role, role)) throw ApiError.forbidden(`This needs the ${role} role`);
    await next();
  });
}

export const requireSubscriber = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('subscriberId')) throw ApiError.unauthenticated('Sign in to the portal to continue');
  await next();
});

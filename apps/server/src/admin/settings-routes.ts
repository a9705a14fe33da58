import { errorCodes, settingsUpdateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody } from '../http/validate';
import { audit } from './admin-helpers';

/** Admin settings: number masking, the agents' state at sign-in, prepaid call timings, the callback services' circuit breaker. */
export function settingsRoutes(deps: AppDeps) {
  const { db, settings } = deps;
  const app = new Hono<AppEnv>();
  app.get('/admin/settings', requireRole('admin'), async (c) => c.json(await settings.all()));
  app.put('/admin/settings', requireRole('admin'), async (c) => {
    const update = await parseBody(c, settingsUpdateSchema);
    const before = await settings.all();
    const signIn = update.agentSignIn;
    if (signIn?.status === 'paused') {
      const reasons = await deps.agents.pauseReasons();
      const reason = reasons.find((r) => r.toLowerCase() === signIn.reason?.toLowerCase());
      if (!reason) {
        const message = `Unknown pause reason; choose one of: ${reasons.join(', ')}`;
        throw new ApiError(400, errorCodes.validation, `agentSignIn.reason: ${message}`, {
          fields: [{ field: 'agentSignIn.reason', message }],
        });
      }
      signIn.reason = reason;
    }
    if (update.numberMasking) {
      await settings.set('numberMasking', update.numberMasking);
      await audit(db, c, {
        action: 'settings.update',
        entity: 'settings',
        entityId: 'numberMasking',
        before: before.numberMasking,
        after: update.numberMasking,
      });
    }
    if (signIn) {
      await settings.set('agentSignIn', signIn);
      deps.agents.setSignInState(signIn);
      await audit(db, c, {
        action: 'settings.update',
        entity: 'settings',
        entityId: 'agentSignIn',
        before: before.agentSignIn,
        after: signIn,
      });
    }
    if (update.rating) {
      await settings.set('rating', update.rating);
      deps.rating.settingsChanged();
      await audit(db, c, {
        action: 'settings.update',
        entity: 'settings',
        entityId: 'rating',
        before: before.rating,
        after: update.rating,
      });
    }
    if (update.callbackBreaker) {
      await settings.set('callbackBreaker', update.callbackBreaker);
      await audit(db, c, {
        action: 'settings.update',
        entity: 'settings',
        entityId: 'callbackBreaker',
        before: before.callbackBreaker,
        after: update.callbackBreaker,
      });
    }
    return c.json(await settings.all());
  });
  return app;
}

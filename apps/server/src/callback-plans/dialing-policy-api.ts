import { callbackDialingPolicyUpdateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { audit } from '../admin/admin-helpers';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody } from '../http/validate';
import { loadCallbackDialingPolicy } from './callback-dialing';

/**
 * The dialing policy of auto-dialled calls (retries, spacing, calling hours, ring times, caller ID,
 * pacing): supervisors read it, administrators change it. A change applies from the next dial.
 */
export function dialingPolicyApi(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  app.get('/dialer/policy', requireRole('supervisor'), async (c) =>
    c.json({ policy: await loadCallbackDialingPolicy(db), pacingInForce: deps.dialer.nodeLimits }),
  );
  app.put('/dialer/policy', requireRole('admin'), async (c) => {
    const policy = await parseBody(c, callbackDialingPolicyUpdateSchema);
    const before = await loadCallbackDialingPolicy(db);
    const value = JSON.stringify(policy);
    const now = Date.now();
    await db
      .insertInto('settings')
      .values({ key: 'callbackDialing', value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
    await audit(db, c, {
      action: 'settings.update',
      entity: 'settings',
      entityId: 'callbackDialing',
      before,
      after: policy,
    });
    // Waits computed with the old calling hours are looked at again; this node's caps change now,
    // the other nodes' at their next lease renewal.
    deps.dialer.setNodeLimits(policy.pacing);
    deps.dialer.poke();
    return c.json({ policy, pacingInForce: deps.dialer.nodeLimits });
  });
  return app;
}

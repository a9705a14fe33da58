import { type ClickToDialResponse, callIdParamSchema, clickToDialSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { ApiError } from '../../http/api-error';
import type { AppEnv } from '../../http/app-env';
import type { AppDeps } from '../../http/deps';
import { requireRole } from '../../http/middleware/require-role';
import { parseBody, parseParams } from '../../http/validate';
import { CallError } from './call-engine';

/** Click-to-dial and hang-up for the agent's own calls. */
export function callsRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  const engine = () => {
    if (!deps.calls) throw new ApiError(503, 'switch_unavailable', 'The switch is not running');
    return deps.calls;
  };

  app.post('/calls/click-to-dial', requireRole('agent'), async (c) => {
    const body = await parseBody(c, clickToDialSchema);
    const user = c.get('user')!;
    let number: string | null = null;
    if ('number' in body) number = body.number;
    else if ('customerPhoneId' in body) {
      // Only a contact the agent may see (agents: their own; supervisors and admins: all).
      let q = db
        .selectFrom('customer_phones')
        .innerJoin('customers', 'customers.id', 'customer_phones.customer_id')
        .select('customer_phones.number')
        .where('customer_phones.id', '=', body.customerPhoneId);
      if (user.role === 'agent') q = q.where('customers.owner_user_id', '=', user.id);
      const row = await q.executeTakeFirst();
      number = row?.number ?? null;
    } else {
      // Calling back an earlier call: only one the agent may see (their own, or any for supervisors).
      let q = db.selectFrom('calls').select('customer_number').where('id', '=', body.callId);
      if (user.role === 'agent') q = q.where('agent_user_id', '=', user.id);
      number = (await q.executeTakeFirst())?.customer_number ?? null;
    }
    if (!number) throw new ApiError(404, 'not_found', 'No such number to call');
    try {
      const call = await engine().clickToDial(user.id, number);
      const res: ClickToDialResponse = { callId: call.uuid, cdrId: call.cdrId };
      return c.json(res, 201);
    } catch (err) {
      if (err instanceof CallError) throw new ApiError(err.status as 400 | 409, err.code, err.message);
      throw err;
    }
  });

  app.post('/calls/:id/hangup', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const ok = await engine().hangup(id, c.get('user')!.id);
    if (!ok) throw new ApiError(404, 'not_found', 'No such call of yours in progress');
    return c.json({ ok: true });
  });

  return app;
}

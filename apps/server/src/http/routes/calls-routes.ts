import {
  type ClickToDialResponse,
  callIdParamSchema,
  clickToDialSchema,
  type LiveCall,
  type LiveCalls,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { CallError } from '../../switch/calls/call-engine';
import { resolveDialReference } from '../../switch/calls/dial-reference';
import { ApiError } from '../api-error';
import type { AppEnv } from '../app-env';
import type { AppDeps } from '../deps';
import { requireRole } from '../middleware/require-role';
import { parseBody, parseParams } from '../validate';
import { callControlRoutes } from './call-control-routes';

/** Click-to-dial and hang-up for the agent's own calls. */
export function callsRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  const engine = () => deps.calls;

  app.post('/calls/click-to-dial', requireRole('agent'), async (c) => {
    const body = await parseBody(c, clickToDialSchema);
    const user = c.get('user')!;
    // By reference, only a record the user may see (agents: their own; supervisors and admins: all).
    const number =
      'number' in body
        ? body.number
        : await resolveDialReference(
            db,
            { userId: user.id, role: user.role },
            'customerPhoneId' in body
              ? { kind: 'phone', customerPhoneId: body.customerPhoneId }
              : 'cdrId' in body
                ? { kind: 'cdr', cdrId: body.cdrId }
                : { kind: 'task', dialTaskId: body.dialTaskId },
          );
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

  // Every call in progress on this node: calls through the switch and calls the server steers.
  app.get('/calls/live', requireRole('supervisor'), async (c) => {
    const mask = await deps.settings.numberMaskerFor(c.get('user')!.role);
    const switched: LiveCall[] = [...deps.calls.calls.values()].map((call) => ({
      callId: call.uuid,
      kind: 'switched',
      service: null,
      startedAt: call.startedAt,
      legs: [call.caller, call.callee, ...call.extra].map((p, i) => ({
        id: `${call.uuid}-${i + 1}`,
        number: mask(p.number),
        role: p.role,
        status: p.dialog ? 'connected' : call.state === 'ended' ? 'ended' : 'alerting',
        cause: null,
      })),
    }));
    const scripted: LiveCall[] = deps.scripts.calls.map((call) => ({
      callId: call.uuid,
      kind: 'script',
      service: call.init.service,
      startedAt: call.startedAt,
      legs: call.legs.map((l) => ({
        id: l.id,
        number: mask(l.number),
        role: l.role,
        status: l.status,
        cause: l.cause,
      })),
    }));
    const res: LiveCalls = { calls: [...switched, ...scripted].sort((a, b) => a.startedAt - b.startedAt) };
    return c.json(res);
  });

  // Hold, mute, DTMF, transfer, consult.
  app.route('/', callControlRoutes(deps));

  return app;
}

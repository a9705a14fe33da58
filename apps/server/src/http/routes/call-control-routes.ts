import {
  type ActiveCalls,
  blindTransferSchema,
  callIdParamSchema,
  consultSchema,
  holdSchema,
  muteSchema,
  sendDtmfSchema,
} from '@switchboard/shared';
import { type Context, Hono } from 'hono';
import { type CallControl, CallControlError, type Viewer } from '../../switch/calls/call-control';
import { ApiError } from '../api-error';
import type { AppEnv } from '../app-env';
import type { AppDeps } from '../deps';
import { requireRole } from '../middleware/require-role';
import { parseBody, parseParams } from '../validate';

/**
 * Agent call control (contract in packages/shared/src/api/call-control.ts): the viewer's
 * calls in progress, hold, mute, DTMF, transfer targets, blind transfer and consult. Only an agent in
 * the call (or a supervisor/admin) may act; anyone else gets 404, an impossible step 409 with a code.
 */
export function callControlRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  const control = (): CallControl => deps.callControl;
  const viewer = (c: Context<AppEnv>): Viewer => {
    const u = c.get('user')!;
    return { id: u.id, role: u.role };
  };
  /** Runs a step; CallControlError becomes the API error it describes. */
  const step = async <T>(fn: () => Promise<T> | T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CallControlError) throw new ApiError(err.status, err.code, err.message);
      throw err;
    }
  };

  app.get('/calls/current', requireRole('agent'), async (c) => {
    const res: ActiveCalls = { calls: await control().current(viewer(c)) };
    return c.json(res);
  });

  app.post('/calls/:id/hold', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const body = await parseBody(c, holdSchema);
    await step(() => control().hold(id, viewer(c), body.held));
    return c.json({ ok: true });
  });

  app.post('/calls/:id/mute', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const body = await parseBody(c, muteSchema);
    await step(() => control().mute(id, viewer(c), body.muted));
    return c.json({ ok: true });
  });

  app.post('/calls/:id/dtmf', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const body = await parseBody(c, sendDtmfSchema);
    await step(() => control().dtmf(id, viewer(c), body.digits));
    return c.json({ ok: true });
  });

  app.get('/calls/:id/transfer-targets', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    return c.json(await step(() => control().transferTargets(id, viewer(c))));
  });

  app.post('/calls/:id/transfer', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const body = await parseBody(c, blindTransferSchema);
    await step(() => control().blindTransfer(id, viewer(c), body.to));
    return c.json({ ok: true });
  });

  app.post('/calls/:id/consult', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const body = await parseBody(c, consultSchema);
    await step(() => control().consult(id, viewer(c), body.to));
    return c.json({ ok: true });
  });

  app.post('/calls/:id/consult/complete', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    await step(() => control().consultComplete(id, viewer(c)));
    return c.json({ ok: true });
  });

  app.post('/calls/:id/consult/conference', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    await step(() => control().consultConference(id, viewer(c)));
    return c.json({ ok: true });
  });

  app.post('/calls/:id/consult/cancel', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    await step(() => control().consultCancel(id, viewer(c)));
    return c.json({ ok: true });
  });

  return app;
}

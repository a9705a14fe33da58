import {
  dispositionCodeInputSchema,
  dispositionCodeUpdateSchema,
  dispositionRequiredSchema,
  errorCodes,
  wrapUpDispositionSchema,
  wrapUpExtendSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { DispositionError, DispositionService } from './disposition-service';

function asApiError(err: unknown): never {
  if (err instanceof DispositionError) {
    const details = err.field ? { fields: [{ field: err.field, message: err.message }] } : undefined;
    if (err.kind === 'not_found') throw ApiError.notFound(err.message);
    if (err.kind === 'invalid') throw new ApiError(400, errorCodes.validation, err.message, details);
    throw ApiError.conflict(err.message, details);
  }
  throw err;
}

/** Disposition codes (admin) and the agent's wrap-up: code, note, more time, done. */
export function dispositionRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const service = new DispositionService({ db: deps.db, agents: deps.agents });

  app.get('/admin/dispositions', requireRole('admin'), async (c) => c.json(await service.settings()));

  app.post('/admin/disposition-codes', requireRole('admin'), async (c) => {
    const input = await parseBody(c, dispositionCodeInputSchema);
    return c.json(await service.createCode(input, c.get('user')!.id).catch(asApiError), 201);
  });

  app.patch('/admin/disposition-codes/:id', requireRole('admin'), async (c) => {
    const { id } = parseParams(c, idParams);
    const patch = await parseBody(c, dispositionCodeUpdateSchema);
    return c.json(await service.updateCode(id, patch, c.get('user')!.id).catch(asApiError));
  });

  app.put('/admin/dispositions/queues/:id', requireRole('admin'), async (c) => {
    const { id } = parseParams(c, idParams);
    const { required } = await parseBody(c, dispositionRequiredSchema);
    await service.setRequired(id, required, c.get('user')!.id).catch(asApiError);
    return c.json(await service.settings());
  });

  app.get('/agents/me/wrapup', requireRole('agent'), async (c) =>
    c.json({ wrapUp: await service.wrapUp(c.get('user')!.id) }),
  );

  app.put('/agents/me/wrapup', requireRole('agent'), async (c) => {
    const input = await parseBody(c, wrapUpDispositionSchema);
    return c.json({ wrapUp: await service.setDisposition(c.get('user')!.id, input).catch(asApiError) });
  });

  app.post('/agents/me/wrapup/extend', requireRole('agent'), async (c) => {
    const { seconds } = await parseBody(c, wrapUpExtendSchema);
    return c.json({ wrapUp: await service.extend(c.get('user')!.id, seconds).catch(asApiError) });
  });

  app.post('/agents/me/wrapup/done', requireRole('agent'), async (c) => {
    await service.finish(c.get('user')!.id).catch(asApiError);
    return c.json({ wrapUp: null });
  });

  return app;
}

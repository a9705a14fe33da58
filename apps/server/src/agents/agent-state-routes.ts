import { type AgentState, agentStateUpdateSchema, errorCodes } from '@switchboard/shared';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { AgentStateError } from './agent-state-service';

function asApiError(err: unknown): never {
  if (err instanceof AgentStateError) {
    if (err.field === 'userId') throw ApiError.notFound('No such agent');
    throw new ApiError(400, errorCodes.validation, `${err.field}: ${err.message}`, {
      fields: [{ field: err.field, message: err.message }],
    });
  }
  throw err;
}

/** Agent state (docs/agent-desk.md): the agent's own, and a supervisor's view and override. */
export function agentStateRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/agents/me/state', requireRole('agent'), async (c) => {
    const user = c.get('user')!;
    if (!deps.agents.isAgent(user.id)) {
      // An administrator takes no queue calls: always logged out, in no queue.
      const none: AgentState = {
        userId: user.id,
        status: 'logged_out',
        reason: null,
        since: 0,
        queues: [],
        pauseReasons: await deps.agents.pauseReasons(),
      };
      return c.json(none);
    }
    return c.json(await deps.agents.state(user.id).catch(asApiError));
  });

  app.put('/agents/me/state', requireRole('agent'), async (c) => {
    const user = c.get('user')!;
    if (!deps.agents.isAgent(user.id))
      throw ApiError.forbidden('Only agents and supervisors take queue calls');
    const input = await parseBody(c, agentStateUpdateSchema);
    return c.json(await deps.agents.update(user.id, input, { kind: 'user', id: user.id }).catch(asApiError));
  });

  app.get('/agents/:id/state', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    return c.json(await deps.agents.state(id).catch(asApiError));
  });

  app.put('/agents/:id/state', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const user = c.get('user')!;
    const input = await parseBody(c, agentStateUpdateSchema);
    return c.json(await deps.agents.update(id, input, { kind: 'user', id: user.id }).catch(asApiError));
  });

  /** A supervisor signs the agent out of every queue (docs/supervisor.md, "Agents"). */
  app.post('/agents/:id/sign-out', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const user = c.get('user')!;
    return c.json(await deps.agents.signOut(id, { kind: 'user', id: user.id }).catch(asApiError));
  });

  return app;
}

import type { PlaneLeg } from '@switchboard/media';
import {
  type CurrentCallQuality,
  type LegQuality,
  legQualitySchema,
  type RecordedCallQuality,
  roleAtLeast,
} from '@switchboard/shared';
import { Hono } from 'hono';
import type { B2buaCall, Party } from '../../switch/calls/b2bua-call';
import { ApiError } from '../api-error';
import type { AppEnv } from '../app-env';
import type { AppDeps } from '../deps';
import { idParams } from '../id-params';
import { requireRole } from '../middleware/require-role';
import { parseParams } from '../validate';

export const cdrIdParamSchema = idParams;

async function measure(leg: PlaneLeg | null): Promise<LegQuality | null> {
  if (!leg) return null;
  const q = await Promise.resolve(leg.quality()).catch(() => null);
  if (!q) return null;
  const parsed = legQualitySchema.safeParse(q);
  return parsed.success ? parsed.data : null;
}

/** The agent's connected call first (a consult has two), else one still being set up. */
function agentsCall(calls: Iterable<B2buaCall>, userId: number): { call: B2buaCall; me: Party } | null {
  let found: { call: B2buaCall; me: Party } | null = null;
  for (const call of calls) {
    const me = call.agents.find((p) => p.userId === userId);
    if (!me) continue;
    if (call.state === 'connected') return { call, me };
    found ??= { call, me };
  }
  return found;
}

/**
 * Call quality for the desk (contract in packages/shared/src/api/call-quality.ts): the switch's RTCP
 * view of the agent's call in progress — the agent's own leg and the other party's, which the browser
 * cannot see — and the figures kept with a finished call's CDR.
 */
export function callQualityRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/calls/current/quality', requireRole('agent'), async (c) => {
    const user = c.get('user')!;
    const found = deps.calls ? agentsCall(deps.calls.calls.values(), user.id) : null;
    if (!found) return c.json({ call: null } satisfies CurrentCallQuality);
    const other = found.call.other(found.me);
    const [agentLeg, otherLeg] = await Promise.all([measure(found.me.leg), measure(other.leg)]);
    const body: CurrentCallQuality = {
      call: { callId: found.call.uuid, otherParty: other.role, agentLeg, otherLeg },
    };
    return c.json(body);
  });

  app.get('/cdr/:id/quality', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, cdrIdParamSchema);
    const user = c.get('user')!;
    const row = await deps.db
      .selectFrom('calls')
      .select(['id', 'agent_user_id', 'quality'])
      .where('id', '=', id)
      .executeTakeFirst();
    // Agents see only their own calls, like the CDR search; anything else is "no such call".
    if (!row || (!roleAtLeast(user.role, 'supervisor') && row.agent_user_id !== user.id))
      throw new ApiError(404, 'not_found', 'No such call');
    const stored: unknown = typeof row.quality === 'string' ? JSON.parse(row.quality) : row.quality;
    const legs: RecordedCallQuality['legs'] = [];
    if (stored && typeof stored === 'object')
      for (const [leg, value] of Object.entries(stored)) {
        const parsed = legQualitySchema.safeParse(value);
        if (parsed.success) legs.push({ leg, quality: parsed.data });
      }
    return c.json({ cdrId: row.id, legs } satisfies RecordedCallQuality);
  });

  return app;
}

import { randomUUID } from 'node:crypto';
import type { PlaneLeg } from '@switchboard/media';
import {
  legQualitySchema,
  type NetworkCheckResult,
  type NetworkCheckStarted,
  networkCheckStartSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { DEFAULT_HOLD_MUSIC } from '../queues/hold-music';

/** A check the browser forgets to end still ends: the test itself takes about 10 s. */
const maxCheckMs = 30_000;

interface Check {
  userId: number;
  leg: PlaneLeg;
  timer: ReturnType<typeof setTimeout>;
}

export const idParamSchema = z.object({ id: z.string().uuid() });

/**
 * The softphone's pre-call network check (contract in packages/shared/src/api/call-quality.ts): a
 * WebRTC leg of its own toward the agent's browser, outside any call, that plays hold music (the
 * browser measures what arrives) and measures what the browser sends. One check per agent at a time.
 */
export function networkCheckRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const checks = new Map<string, Check>();

  const end = (id: string) => {
    const check = checks.get(id);
    if (!check) return;
    checks.delete(id);
    clearTimeout(check.timer);
    check.leg.close();
  };
  const mine = (id: string, userId: number): Check => {
    const check = checks.get(id);
    if (!check || check.userId !== userId) throw new ApiError(404, 'not_found', 'No such network check');
    return check;
  };

  app.post('/softphone/network-check', requireRole('agent'), async (c) => {
    const { offer } = await parseBody(c, networkCheckStartSchema);
    const media = deps.calls?.options.media;
    if (!media) throw new ApiError(503, 'switch_unavailable', 'The switch is not running');
    const userId = c.get('user')!.id;
    for (const [id, check] of checks) if (check.userId === userId) end(id);
    const leg = await media.createWebRtcLeg();
    let answer: string;
    try {
      answer = await leg.acceptOffer(offer);
    } catch (err) {
      leg.close();
      throw new ApiError(400, 'bad_offer', `The offer could not be answered: ${String(err)}`);
    }
    const id = randomUUID();
    checks.set(id, { userId, leg, timer: setTimeout(() => end(id), maxCheckMs) });
    leg.once('closed', () => end(id));
    media.play(leg, DEFAULT_HOLD_MUSIC, { loop: true });
    return c.json({ id, answer } satisfies NetworkCheckStarted, 201);
  });

  app.get('/softphone/network-check/:id', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const check = mine(id, c.get('user')!.id);
    const switchReceived = legQualitySchema.parse(await check.leg.quality());
    return c.json({ switchReceived } satisfies NetworkCheckResult);
  });

  app.delete('/softphone/network-check/:id', requireRole('agent'), (c) => {
    const { id } = parseParams(c, idParamSchema);
    mine(id, c.get('user')!.id);
    end(id);
    return c.json({ ok: true });
  });

  return app;
}

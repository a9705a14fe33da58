import { roleAtLeast } from '@switchboard/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';

export const queueParams = idParams;
export const callParams = queueParams.extend({ callId: z.string().min(1).max(200) });

/** The queue, when it exists and the caller may see it (agents: their queues). */
export async function visibleQueue({ db }: AppDeps, c: Context<AppEnv>, id: number) {
  const user = c.get('user')!;
  const queue = await db
    .selectFrom('queues')
    .select(['id', 'name', 'service_level_s'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!queue) throw ApiError.notFound('No such queue');
  if (!roleAtLeast(user.role, 'supervisor')) {
    const member = await db
      .selectFrom('queue_members')
      .select('user_id')
      .where('queue_id', '=', id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (!member) throw ApiError.forbidden('You are not a member of this queue');
  }
  return queue;
}

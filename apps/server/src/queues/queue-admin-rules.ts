import type { queueUpdateSchema } from '@switchboard/shared';
import type { z } from 'zod';
import { badField } from '../admin/admin-helpers';
import type { Db } from '../db/database';
import { musicPrompts, promptCatalogue } from './hold-music';

type Overflow = NonNullable<z.infer<typeof queueUpdateSchema>['overflow']>;

/**
 * Overflow targets must exist when saved: a queue (never the queue itself, which would loop the
 * caller back into the line they gave up on) or an extension; hang-up and none take no target.
 */
export async function assertOverflow(db: Db, overflow: Overflow, queueId: number | null) {
  const target = overflow.target ?? null;
  if (overflow.type === 'queue') {
    const id = Number(target);
    if (!target || !/^\d+$/.test(target) || id < 1) throw badField('overflow.target', 'Choose a queue');
    if (id === queueId) throw badField('overflow.target', 'A queue cannot overflow into itself');
    const q = await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst();
    if (!q) throw badField('overflow.target', 'No such queue');
  } else if (overflow.type === 'extension') {
    if (!target) throw badField('overflow.target', 'Choose an extension');
    const e = await db.selectFrom('extensions').select('id').where('number', '=', target).executeTakeFirst();
    if (!e) throw badField('overflow.target', 'No such extension');
  } else if (target !== null) {
    throw badField('overflow.target', 'Hang up and none take no target');
  }
}

/** Hold music is one of the music prompts the switch can play (null plays the default). */
export function assertHoldMusic(name: string | null) {
  if (name === null) return;
  const known = musicPrompts(promptCatalogue());
  if (!known.includes(name)) throw badField('holdMusic', `No such music; choose one of ${known.join(', ')}`);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Why queue `id` cannot go: calls waiting in it and everything that routes calls or work to it. */
export async function queueInUse(db: Db, id: number, waiting: number): Promise<string[]> {
  const reasons: string[] = [];
  if (waiting > 0) reasons.push(`${plural(waiting, 'call is', 'calls are')} waiting in it`);
  const routes = await db
    .selectFrom('inbound_routes')
    .select('number')
    .where('target_type', '=', 'queue')
    .where('target_id', '=', String(id))
    .orderBy('number')
    .execute();
  if (routes.length)
    reasons.push(`inbound routes send calls to it (${routes.map((r) => r.number).join(', ')})`);
  const overflowing = await db
    .selectFrom('queues')
    .select('name')
    .where('overflow_type', '=', 'queue')
    .where('overflow_target', '=', String(id))
    .orderBy('name')
    .execute();
  if (overflowing.length)
    reasons.push(`queues overflow into it (${overflowing.map((q) => q.name).join(', ')})`);
  const flowNames = await flowsUsingQueue(db, id);
  if (flowNames.length) reasons.push(`call flows send calls to it (${flowNames.join(', ')})`);
  const plans = await db
    .selectFrom('callback_plans')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('queue_id', '=', id)
    .where('status', 'in', ['scheduled', 'due'])
    .executeTakeFirstOrThrow();
  const openPlans = Number(plans.n);
  if (openPlans > 0)
    reasons.push(`${plural(openPlans, 'open callback plan is', 'open callback plans are')} for it`);
  return reasons;
}

/** The names of the call flows with a queue step for queue `id`, by name. */
async function flowsUsingQueue(db: Db, id: number): Promise<string[]> {
  // A flow's draft and its published version are both checked: either may be put live.
  const flows = await db
    .selectFrom('call_flows')
    .leftJoin('call_flow_versions', (j) =>
      j
        .onRef('call_flow_versions.flow_id', '=', 'call_flows.id')
        .onRef('call_flow_versions.version', '=', 'call_flows.published_version'),
    )
    .select(['call_flows.name', 'call_flows.draft', 'call_flow_versions.definition'])
    .orderBy('call_flows.name')
    .execute();
  return flows
    .filter((f) => flowUsesQueue(f.draft, id) || (f.definition !== null && flowUsesQueue(f.definition, id)))
    .map((f) => f.name);
}

function flowUsesQueue(definitionJson: string, queueId: number): boolean {
  try {
    const d = JSON.parse(definitionJson) as {
      components?: { type?: string; settings?: { queueId?: unknown } }[];
    };
    return (d.components ?? []).some((c) => c.type === 'queue' && c.settings?.queueId === queueId);
  } catch {
    return false;
  }
}

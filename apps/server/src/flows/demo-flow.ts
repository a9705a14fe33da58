import type { FlowDefinition } from '@switchboard/shared';
import type { Db } from '../db/database';

/**
 * The demo "Main menu": a greeting, then 1 → sales, 2 → support, 3 → a call back to the caller
 * after 5 s that continues into the sales queue; no key or a wrong one, twice → sales. Open around
 * the clock (no time condition).
 */
export function mainMenuFlow(salesQueueId: number, supportQueueId: number): FlowDefinition {
  const at = (x: number, y: number) => ({ x, y });
  return {
    start: 'greeting',
    components: [
      {
        id: 'greeting',
        type: 'play',
        label: 'Greeting',
        position: at(0, 0),
        settings: { prompts: [{ prompt: 'welcome' }] },
        exits: { next: 'menu' },
      },
      {
        id: 'menu',
        type: 'menu',
        label: 'Main menu',
        position: at(0, 140),
        settings: {
          prompts: [{ prompt: 'main-menu' }],
          choices: ['1', '2', '3'],
          timeoutS: 6,
          attempts: 2,
          retryPrompts: [{ prompt: 'please-try-again' }],
        },
        exits: {
          'key:1': 'sales',
          'key:2': 'support',
          'key:3': 'callback-notice',
          timeout: 'sales',
          invalid: 'sales',
        },
      },
      {
        id: 'sales',
        type: 'queue',
        label: 'Sales',
        position: at(-320, 320),
        settings: { queueId: salesQueueId, priority: 'normal' },
        exits: { full: 'busy' },
      },
      {
        id: 'support',
        type: 'queue',
        label: 'Support',
        position: at(0, 320),
        settings: { queueId: supportQueueId, priority: 'normal' },
        exits: { full: 'busy' },
      },
      {
        id: 'callback-notice',
        type: 'play',
        label: 'We will call you back',
        position: at(320, 320),
        settings: { prompts: [{ prompt: 'callback-shortly' }] },
        exits: { next: 'callback' },
      },
      {
        id: 'callback',
        type: 'callback',
        label: 'Call the caller back',
        position: at(320, 460),
        settings: {
          method: 'caller',
          trunkId: null,
          number: null,
          extension: null,
          callerId: null,
          delayS: 5,
          timeoutS: 10,
          ringTimeoutS: 30,
        },
        exits: { next: 'sales-after-callback' },
      },
      {
        id: 'sales-after-callback',
        type: 'queue',
        label: 'Sales (called back)',
        position: at(320, 600),
        settings: { queueId: salesQueueId, priority: 'high' },
        exits: { full: 'busy' },
      },
      {
        id: 'busy',
        type: 'play',
        label: 'Agents busy',
        position: at(-160, 600),
        settings: { prompts: [{ prompt: 'agents-busy-call-later' }] },
        exits: { next: 'hangup' },
      },
      { id: 'hangup', type: 'hangup', label: 'Hang up', position: at(-160, 740), settings: {}, exits: {} },
    ],
  };
}

/** Writes the demo "Main menu" as published version 1 and routes `number` to it. */
export async function seedMainMenuFlow(
  db: Db,
  o: { sales: number; support: number; number: string; publishedBy: number; now: number },
): Promise<void> {
  const definition = JSON.stringify(mainMenuFlow(o.sales, o.support));
  const flow = await db
    .insertInto('call_flows')
    .values({
      name: 'Main menu',
      description: 'Greeting, then sales, support or a call back',
      draft: definition,
      published_version: 1,
      created_at: o.now,
      updated_at: o.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('call_flow_versions')
    .values({ flow_id: flow.id, version: 1, definition, published_at: o.now, published_by: o.publishedBy })
    .execute();
  await db
    .insertInto('inbound_routes')
    .values({ number: o.number, target_type: 'flow', target_id: String(flow.id), created_at: o.now })
    .execute();
}

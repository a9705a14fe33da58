import { z } from 'zod';
import { maskNumbersInText } from '../masking';
import { callLegStatusSchema } from './call-leg-status';
import { campaignStateSchema, campaignStatsSchema } from './campaigns';
import { flowStepEventSchema } from './flows';
import { wallboardSchema } from './wallboard';
import { webCallbackEventSchema } from './web-callback';

/**
 * The live event stream (`GET /api/events`, Server-Sent Events). Each event's `type` is also the SSE
 * event name. Fields listed in `phoneNumberFields` are masked per viewer by the server.
 */
const at = z.number().int();

export const registrationEventSchema = z.object({
  type: z.literal('registration'),
  extension: z.string(),
  registered: z.boolean(),
  contacts: z.number().int(),
  at,
});

export const callEventSchema = z.object({
  type: z.literal('call'),
  callId: z.string(),
  /**
   * `transferred`: this agent handed the call on (blind transfer or completed consult) and is out of
   * it; `conference`: the agent's consult became a three-way conference.
   */
  state: z.enum(['ringing', 'answered', 'held', 'resumed', 'transferred', 'conference', 'ended']),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  otherParty: z.string().nullable(),
  queue: z.string().nullable().optional(),
  disposition: z.enum(['answered', 'unanswered', 'busy', 'failed']).nullable().optional(),
  at,
});

export const agentStateEventSchema = z.object({
  type: z.literal('agent_state'),
  userId: z.number().int(),
  status: z.enum(['logged_out', 'idle', 'paused', 'on_call', 'wrapup']),
  reason: z.string().nullable(),
  queueIds: z.array(z.number().int()).optional(),
  at,
});

/**
 * A queue's waiting list changed: a call joined, moved, started ringing an agent
 * or left (answered, abandoned, overflowed). `position` is null once the call left; `waiting` is the
 * queue's count after the change. Fetch `GET /api/queues/:id/waiting` for the whole list.
 * Queued callback (docs/dialer.md): `callback` = the caller left and a callback placeholder took
 * their place (it `joined` at the same position); `dropped` = a placeholder left after its last
 * failed dial. A placeholder `ringing` is being called back for a kept agent.
 */
export const queueWaitingEventSchema = z.object({
  type: z.literal('queue_waiting'),
  queueId: z.number().int(),
  callId: z.string(),
  change: z.enum(['joined', 'moved', 'ringing', 'answered', 'abandoned', 'overflow', 'callback', 'dropped']),
  callerNumber: z.string().nullable(),
  position: z.number().int().nullable(),
  waiting: z.number().int(),
  at,
});

/**
 * How many of a queue's members would be offered a call right now changed (an agent went idle or
 * paused, took or finished a call, registered or lost their phone): what the waiting list shows as
 * "agents available". To the queue's members and supervisors.
 */
export const queueAgentsEventSchema = z.object({
  type: z.literal('queue_agents'),
  queueId: z.number().int(),
  agentsAvailable: z.number().int(),
  at,
});

/**
 * A callback plan the viewer owns came due (remind the agent) or was missed; or, `calling`, the
 * dialer is ringing the owner for it now: `callId` is the call (for the customer window) and `note`
 * the plan's note, for the screen pop.
 */
export const callbackPlanEventSchema = z.object({
  type: z.literal('callback_plan'),
  planId: z.number().int(),
  status: z.enum(['due', 'missed', 'calling']),
  callId: z.string().optional(),
  note: z.string().nullable().optional(),
  at,
});

/**
 * How far the viewer's own CSV import (dial tasks, customers) has got: rows checked, then rows
 * written. The import answers when it is done; these let the page show it moving meanwhile.
 */
export const importProgressEventSchema = z.object({
  type: z.literal('import_progress'),
  kind: z.enum(['dial_tasks', 'customers']),
  phase: z.enum(['checking', 'writing']),
  done: z.number().int(),
  total: z.number().int(),
  at,
});

/**
 * The consult an agent started, to that agent and supervisors: the target rings,
 * answers, joins a conference; or the consult ends — `completed` (transferred to the target),
 * `cancelled` (the agent went back), `failed` (no answer, busy, rejected, hung up: `reason` says which).
 * In every ending but `completed` the agent is back with the customer.
 */
export const consultEventSchema = z.object({
  type: z.literal('consult'),
  callId: z.string(),
  state: z.enum(['ringing', 'answered', 'conference', 'completed', 'cancelled', 'failed']),
  /** The consulted party's display name (or number, masked). */
  target: z.string(),
  reason: z.string().nullable(),
  at,
});

/** The status of one leg of a call the server places or steers itself (a call script). */

export const callLegEventSchema = z.object({
  type: z.literal('call_leg'),
  callId: z.string(),
  legId: z.string(),
  /** The number or extension the leg reaches (masked per viewer). */
  number: z.string().nullable(),
  role: z.string(),
  status: callLegStatusSchema,
  /** Why the leg ended or failed (`busy`, `no_answer`, `not_found`, `no_trunk`, `normal_clearing`…). */
  cause: z.string().nullable(),
  at,
});

/**
 * A supervisor's monitoring session on a call: to the supervisor always, and to the agent (when the
 * indicator is on) while the supervisor whispers or barges. `ended` also when the ring failed.
 */
export const monitorEventSchema = z.object({
  type: z.literal('monitor'),
  callId: z.string(),
  state: z.enum(['ringing', 'active', 'ended']),
  mode: z.enum(['listen', 'whisper', 'barge']),
  supervisor: z.string(),
  reason: z.string().nullable(),
  /** Whose view this is: the monitoring supervisor's, or the monitored agent's (told only when heard). */
  audience: z.enum(['supervisor', 'agent']),
  at,
});

/** The wallboard's figures again, after calls, queues or agents changed (to supervisors, coalesced). */
export const wallboardEventSchema = z.object({
  type: z.literal('wallboard'),
  wallboard: wallboardSchema,
  at,
});

/**
 * The callback services' circuit breaker tripped (new call backs are refused) or closed again; to
 * administrators. Fetch `GET /api/admin/callback-services/breaker` for the figures.
 */
export const callbackBreakerEventSchema = z.object({
  type: z.literal('callback_breaker'),
  tripped: z.boolean(),
  reason: z.enum(['minutes', 'calls']).nullable(),
  minutesLastHour: z.number(),
  callsLastHour: z.number().int(),
  at,
});

/**
 * A carrier trunk went up, down, registering… as the switch sees it (to administrators); the
 * trunks page shows it. `GET /api/admin/trunks` has the details (registration, keep-alive).
 */
export const trunkStateEventSchema = z.object({
  type: z.literal('trunk_state'),
  trunkId: z.number().int(),
  name: z.string(),
  state: z.enum(['up', 'down', 'registering', 'unregistered', 'disabled']),
  at,
});

/**
 * A campaign's live figures changed (a dial ended, tasks added, started, paused, finished, an agent
 * joined or left): to supervisors and the campaign's agents.
 */
export const campaignEventSchema = z.object({
  type: z.literal('campaign'),
  campaignId: z.number().int(),
  state: campaignStateSchema,
  stats: campaignStatsSchema,
  at,
});

/**
 * The dialer is ringing the viewer's phone for a campaign task (progressive or predictive, where the
 * agent did not pick the task): who the customer is, so the desk can take the call's result.
 */
export const campaignCallEventSchema = z.object({
  type: z.literal('campaign_call'),
  campaignId: z.number().int(),
  campaignName: z.string(),
  taskId: z.number().int(),
  callId: z.string(),
  number: z.string().nullable(),
  customerName: z.string().nullable(),
  at,
});

/**
 * This node started or ended a drain (docs/operations.md): it takes no new calls, and desks signed in
 * to it move to another node once their call is over. To every desk user of the node.
 */
export const nodeDrainEventSchema = z.object({
  type: z.literal('node_drain'),
  draining: z.boolean(),
  /** When the drain started (ms since the epoch); null once it ended. */
  since: z.number().int().nullable(),
  at,
});

export const liveEventSchema = z.discriminatedUnion('type', [
  registrationEventSchema,
  callEventSchema,
  agentStateEventSchema,
  callbackPlanEventSchema,
  queueWaitingEventSchema,
  queueAgentsEventSchema,
  consultEventSchema,
  callLegEventSchema,
  webCallbackEventSchema,
  flowStepEventSchema,
  monitorEventSchema,
  wallboardEventSchema,
  importProgressEventSchema,
  callbackBreakerEventSchema,
  trunkStateEventSchema,
  campaignEventSchema,
  campaignCallEventSchema,
  nodeDrainEventSchema,
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;
export type LiveEventType = LiveEvent['type'];

/** Every live event type, for a stream that asks for some of them (`/api/events?types=`). */
export const liveEventTypeNames: readonly LiveEventType[] = liveEventSchema.options.map(
  (o) => o.shape.type.value,
);

export const phoneNumberFields = ['otherParty', 'callerNumber', 'number'] as const;
/** Free-text fields that may carry a number the caller chose (display names): numbers in them are masked. */
export const phoneTextFields = ['target', 'callerName'] as const;

/** Masks every phone-number field of an event, and numbers inside its text fields, with the viewer's masker. */
export function maskLiveEvent<E extends LiveEvent>(event: E, mask: (n: string | null) => string | null): E {
  let out = event;
  for (const field of phoneNumberFields) {
    if (field in out) {
      const value = (out as Record<string, unknown>)[field];
      if (typeof value === 'string') out = { ...out, [field]: mask(value) };
    }
  }
  for (const field of phoneTextFields) {
    if (field in out) {
      const value = (out as Record<string, unknown>)[field];
      if (typeof value === 'string') out = { ...out, [field]: maskNumbersInText(value, mask) };
    }
  }
  return out;
}

import { z } from 'zod';

/**
 * Agent call control (docs/agent-desk.md): the API the desk uses for a call
 * in progress. Every route is `/api/calls/:id/…` with the call's ID as on the live stream's `call`
 * events; only an agent in the call (or a supervisor/admin) may act on it, anyone else gets 404.
 * A step that is not possible in the call's current state answers 409 with a code saying why
 * (`not_connected`, `no_consult`, `consult_not_answered`, `consult_in_progress`, `target_unavailable`…).
 */

/** DTMF the agent sends to the other party (RFC 4733 on the other leg). */
export const sendDtmfSchema = z
  .object({ digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/, 'Digits 0-9, *, #, A-D (1 to 32)') })
  .strict();
export type SendDtmfRequest = z.infer<typeof sendDtmfSchema>;

/** `POST /api/calls/:id/mute`: the agent's audio stops reaching the other party (no hold music). */
export const muteSchema = z.object({ muted: z.boolean() }).strict();
export type MuteRequest = z.infer<typeof muteSchema>;

/** `POST /api/calls/:id/hold`: the other party hears hold music; `held: false` resumes. */
export const holdSchema = z.object({ held: z.boolean() }).strict();
export type HoldRequest = z.infer<typeof holdSchema>;

/** Where a call can be sent: a user (agent or supervisor, by their extension), a queue, an outside number. */
export const transferTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('queue'), queueId: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('number'), number: z.string().trim().min(2).max(32) }).strict(),
]);
export type TransferTarget = z.infer<typeof transferTargetSchema>;

/** `POST /api/calls/:id/transfer`: blind transfer; the agent leaves at once. */
export const blindTransferSchema = z.object({ to: transferTargetSchema }).strict();
export type BlindTransferRequest = z.infer<typeof blindTransferSchema>;

/**
 * `POST /api/calls/:id/consult`: the customer is put on hold (hold music) and the target is called
 * from the agent's phone. Then `…/consult/complete` (customer joined to the target, agent leaves),
 * `…/consult/conference` (three-way), or `…/consult/cancel` (back to the customer). If the target does
 * not answer, rejects or hangs up, the agent is back with the customer.
 */
export const consultSchema = z
  .object({
    to: z.discriminatedUnion('kind', [transferTargetSchema.options[0], transferTargetSchema.options[2]]),
  })
  .strict();
export type ConsultRequest = z.infer<typeof consultSchema>;

export const userTargetSchema = z.object({
  userId: z.number().int(),
  name: z.string(),
  extension: z.string().nullable(),
  role: z.enum(['agent', 'supervisor', 'admin']),
  /** Online (extension registered, logged in) and free (not on a call, not in wrap-up, not paused). */
  available: z.boolean(),
  /** Why not available, for the tooltip: `offline`, `on_call`, `wrapup`, `paused`, `logged_out`, `self`. */
  unavailableReason: z.string().nullable(),
});
export type UserTarget = z.infer<typeof userTargetSchema>;

export const queueTargetSchema = z.object({
  queueId: z.number().int(),
  name: z.string(),
  agentsAvailable: z.number().int(),
  waiting: z.number().int(),
});
export type QueueTarget = z.infer<typeof queueTargetSchema>;

/**
 * `GET /api/calls/:id/transfer-targets`, grouped as the desk shows them: supervisors;
 * agents of this call's queue (or, for a non-queue call, of the agent's queues); "others" (agents and
 * supervisors of other queues); queues. The caller never appears in the lists.
 */
export const transferTargetsSchema = z.object({
  supervisors: z.array(userTargetSchema),
  queueAgents: z.array(userTargetSchema),
  others: z.array(userTargetSchema),
  queues: z.array(queueTargetSchema),
});
export type TransferTargets = z.infer<typeof transferTargetsSchema>;

export const consultStateSchema = z.enum(['ringing', 'answered', 'conference']);

/** One call in progress as one of its agents sees it (`GET /api/calls/current`). */
export const activeCallSchema = z.object({
  callId: z.string(),
  state: z.enum(['ringing', 'connected']),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  /** Masked per the viewer's number-masking setting. */
  otherParty: z.string().nullable(),
  queue: z.string().nullable(),
  startedAt: z.number().int(),
  answeredAt: z.number().int().nullable(),
  held: z.boolean(),
  muted: z.boolean(),
  /** The consult this agent started, if any (its target's display name). */
  consult: z.object({ state: consultStateSchema, target: z.string() }).nullable(),
});
export type ActiveCall = z.infer<typeof activeCallSchema>;

export const activeCallsSchema = z.object({ calls: z.array(activeCallSchema) });
export type ActiveCalls = z.infer<typeof activeCallsSchema>;

import { z } from 'zod';

/**
 * Agent state (docs/agent-desk.md): Idle or Paused with a reason, for all queues or
 * some. `on_call` and `wrapup` are set by the switch, never by the agent.
 */
export const agentStatuses = ['logged_out', 'idle', 'paused', 'on_call', 'wrapup'] as const;
export const agentStatusSchema = z.enum(agentStatuses);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** `PUT /api/agents/me/state`. Without `queueIds` the change applies to all the agent's queues. */
export const agentStateUpdateSchema = z
  .object({
    status: z.enum(['idle', 'paused']),
    reason: z.string().trim().min(1).max(100).optional(),
    queueIds: z.array(z.number().int().positive()).min(1).optional(),
  })
  .strict()
  .refine((v) => v.status !== 'paused' || v.reason !== undefined, {
    path: ['reason'],
    message: 'Choose a pause reason',
  });
export type AgentStateUpdate = z.infer<typeof agentStateUpdateSchema>;

export const agentQueueStateSchema = z.object({
  queueId: z.number().int(),
  queueName: z.string(),
  paused: z.boolean(),
  reason: z.string().nullable(),
  penalty: z.number().int(),
});

/** `GET /api/agents/me/state` (and the body of a successful PUT). */
export const agentStateSchema = z.object({
  userId: z.number().int(),
  status: agentStatusSchema,
  reason: z.string().nullable(),
  since: z.number().int(),
  queues: z.array(agentQueueStateSchema),
  pauseReasons: z.array(z.string()),
});
export type AgentState = z.infer<typeof agentStateSchema>;

/** `GET /api/queues` for any desk user: the queues the caller may see. */
export const queueSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  waiting: z.number().int(),
  agentsAvailable: z.number().int(),
});
export type QueueSummary = z.infer<typeof queueSummarySchema>;

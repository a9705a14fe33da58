import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'failing']),
  failing: z.array(z.string()).optional(),
  /** Call record writes waiting in the node's journal for the database (absent when none). */
  callRecordsBacklog: z.number().int().optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** `GET /readyz`: whether this node takes new calls (a load balancer's probe). */
export const readinessResponseSchema = z.object({
  status: z.enum(['ready', 'draining', 'failing']),
  /** Calls still up on this node (while draining). */
  liveCalls: z.number().int().optional(),
  /** When the drain started (ms since the epoch; while draining). */
  since: z.number().int().optional(),
  failing: z.array(z.string()).optional(),
});
export type ReadinessResponse = z.infer<typeof readinessResponseSchema>;

/** `GET/POST/DELETE /api/admin/drain`: this node's drain. */
export const drainStateSchema = z.object({
  draining: z.boolean(),
  /** When the drain started (ms since the epoch). */
  since: z.number().int().nullable(),
  liveCalls: z.number().int(),
});
export type DrainState = z.infer<typeof drainStateSchema>;

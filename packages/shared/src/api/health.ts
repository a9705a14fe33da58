import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'failing']),
  failing: z.array(z.string()).optional(),
  /** Call record writes waiting in the node's journal for the database (absent when none). */
  callRecordsBacklog: z.number().int().optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'failing']),
  failing: z.array(z.string()).optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

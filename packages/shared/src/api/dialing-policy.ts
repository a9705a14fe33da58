import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time is HH:MM (00:00–23:59)');

export const dialerPacingSchema = z.object({
  /** Calls started per second (fractions allowed: 0.5 is one call every two seconds). */
  callsPerSecond: z.number().positive().max(10_000),
  /** Auto-dialled calls up at once. */
  maxConcurrent: z.number().int().min(1).max(10_000),
});
export type DialerPacing = z.infer<typeof dialerPacingSchema>;

/** How auto-dialled callbacks are placed (the `callbackDialing` setting; every field optional). */
export const callbackDialingPolicySchema = z.object({
  /** Dials per plan, the first included. */
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /** Wait before the next dial, by the last one's outcome. */
  retryDelaySeconds: z
    .object({
      busy: z.number().int().min(1).max(86_400).default(300),
      no_answer: z.number().int().min(1).max(86_400).default(600),
      failed: z.number().int().min(1).max(86_400).default(600),
      agent_unavailable: z.number().int().min(1).max(86_400).default(300),
    })
    .default({ busy: 300, no_answer: 600, failed: 600, agent_unavailable: 300 }),
  callingHours: z.object({ from: hhmm, to: hhmm }).default({ from: '09:00', to: '20:00' }),
  /** How long the customer's or the agent's phone rings. */
  ringSeconds: z.number().int().min(5).max(120).default(30),
  /** Customer first: how long the owner's phone rings before the customer goes to the plan's queue. */
  ownerRingSeconds: z.number().int().min(1).max(120).default(20),
  /** The prompt naming the company ("This is <company> returning your call"). */
  companyPrompt: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('company-name'),
  /** Presented to the customer; the trunk's own caller ID when absent. */
  callerId: z.string().min(1).max(32).nullable().default(null),
  /**
   * Each node's outbound caps over every auto-dialled call; null: the node's own configuration
   * (`DIALER_CALLS_PER_SECOND`, `DIALER_MAX_CONCURRENT`). A trunk's own caps still apply under these.
   */
  pacing: dialerPacingSchema.nullable().default(null),
});
export type CallbackDialingPolicy = z.infer<typeof callbackDialingPolicySchema>;

/** `PUT /api/dialer/policy`: the whole policy; fields left out take their defaults. */
export const callbackDialingPolicyUpdateSchema = callbackDialingPolicySchema.strict();
export type CallbackDialingPolicyUpdate = z.input<typeof callbackDialingPolicyUpdateSchema>;

/** `GET|PUT /api/dialer/policy`: the policy, and the caps in force on the node that answers. */
export const dialingPolicyResponseSchema = z.object({
  policy: callbackDialingPolicySchema,
  /** The policy's pacing, or the node's configured caps when the policy sets none. */
  pacingInForce: dialerPacingSchema,
});
export type DialingPolicyResponse = z.infer<typeof dialingPolicyResponseSchema>;

import { z } from 'zod';

export const callbackPlanStatuses = ['scheduled', 'due', 'done', 'missed', 'cancelled'] as const;
export const callbackPlanStatusSchema = z.enum(callbackPlanStatuses);
export type CallbackPlanStatus = z.infer<typeof callbackPlanStatusSchema>;

/**
 * `remind`: the owner is reminded at the due time. `agent_first`: the owner's phone rings, then the
 * customer is dialled. `customer_first`: the customer is dialled, hears who is calling back, then is
 * connected to the owner or, after a while, to the plan's queue with high priority.
 */
export const callbackPlanModes = ['remind', 'agent_first', 'customer_first'] as const;
export const callbackPlanModeSchema = z.enum(callbackPlanModes, {
  error: 'mode is one of remind, agent_first, customer_first',
});
export type CallbackPlanMode = z.infer<typeof callbackPlanModeSchema>;

/** One dial of an auto-dialled plan: `answered`, `busy`, `no_answer`, `failed`, `do_not_call`… */
export const callbackPlanAttemptSchema = z.object({
  at: z.number(),
  outcome: z.string(),
  callId: z.number().int().nullable(),
});
export type CallbackPlanAttempt = z.infer<typeof callbackPlanAttemptSchema>;

/** A due plan that nobody marks done within this long becomes `missed`. */
export const callbackPlanMissedAfterMs = 24 * 3_600_000;

export const callbackPlanSchema = z.object({
  id: z.number().int(),
  customer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** Call back by this reference; `number` is for display and may be masked. */
  phoneId: z.number().int().nullable(),
  number: z.string().nullable(),
  owner: z.object({ id: z.number().int(), displayName: z.string() }),
  dueAt: z.number(),
  note: z.string().nullable(),
  status: callbackPlanStatusSchema,
  mode: callbackPlanModeSchema,
  queueId: z.number().int().nullable(),
  /** Dials made so far (auto-dialled plans); the single plan's view lists them. */
  attempts: z.array(callbackPlanAttemptSchema).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type CallbackPlan = z.infer<typeof callbackPlanSchema>;

const dueAtText = z
  .string({ error: 'Enter the due time' })
  .trim()
  .min(1, 'Enter the due time')
  .max(40, 'The due time is too long');
const timeZone = z.string().trim().min(1).max(64).optional();
const note = z
  .string()
  .trim()
  .max(2000, 'The note is at most 2000 characters')
  .nullish()
  .transform((v) => (v === undefined ? undefined : v || null));

/**
 * `POST /api/callback-plans`. `dueAt` is an instant with an offset (`2026-05-01T10:00:00+02:00`) or a
 * wall time (`2026-05-01T10:00`) read in `timeZone` (default: the agent's time zone); stored as UTC.
 */
export const callbackPlanCreateSchema = z
  .object({
    customerId: z.number({ error: 'Choose the customer' }).int().positive(),
    phoneId: z.number({ error: 'Choose the number to call back' }).int().positive(),
    dueAt: dueAtText,
    timeZone,
    note,
    /** Supervisors may plan for another agent; an agent's plans are always their own. */
    ownerUserId: z.number().int().positive().optional(),
    mode: callbackPlanModeSchema.default('remind'),
    /** Where a customer-first callback goes when the owner does not take it. */
    queueId: z.number().int().positive().nullish(),
  })
  .strict();
export type CallbackPlanCreateRequest = z.input<typeof callbackPlanCreateSchema>;

/** `PATCH /api/callback-plans/:id`: reschedule, re-note, change number, or close (done / cancelled). */
export const callbackPlanUpdateSchema = z
  .object({
    phoneId: z.number().int().positive().optional(),
    dueAt: dueAtText.optional(),
    timeZone,
    note,
    status: z.enum(['done', 'cancelled'], { error: 'status may be set to done or cancelled' }).optional(),
    mode: callbackPlanModeSchema.optional(),
    queueId: z.number().int().positive().nullish(),
    /** Supervisors: hand the plan to another agent (their desk is reminded, their phone rings). */
    ownerUserId: z.number().int().positive().optional(),
  })
  .strict();
export type CallbackPlanUpdateRequest = z.input<typeof callbackPlanUpdateSchema>;

export const callbackPlanListQuerySchema = z.object({
  status: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const list = v.split(',').map((s) => s.trim());
      for (const s of list) {
        if (!(callbackPlanStatuses as readonly string[]).includes(s)) {
          ctx.addIssue({ code: 'custom', message: `Unknown status ${JSON.stringify(s)}` });
          return z.NEVER;
        }
      }
      return list as CallbackPlanStatus[];
    }),
  from: z.string().trim().max(40).optional(),
  to: z.string().trim().max(40).optional(),
  timeZone,
  owner: z.coerce.number().int().positive().optional(),
  customerId: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type CallbackPlanListQuery = z.input<typeof callbackPlanListQuerySchema>;

export const callbackPlanListResponseSchema = z.object({
  plans: z.array(callbackPlanSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
});
export type CallbackPlanListResponse = z.infer<typeof callbackPlanListResponseSchema>;
export const callbackPlanResponseSchema = z.object({ plan: callbackPlanSchema });
export type CallbackPlanResponse = z.infer<typeof callbackPlanResponseSchema>;

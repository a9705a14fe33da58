import { z } from 'zod';
import { dialerCallerIdSchema } from './admin';
import { dialTaskResultSchema } from './dial-tasks';

/**
 * Outbound campaigns (docs/dialer.md, "Campaigns"): dial tasks worked by the agents who joined, in
 * `preview` (the agent sees the next task and presses Call), `progressive` (the next number is
 * dialled as soon as a joined agent is idle, one call per agent) or `predictive` mode (several
 * numbers per free agent by the measured answer rate, under an abandon-rate cap).
 */
export const campaignModes = ['preview', 'progressive', 'predictive'] as const;
export const campaignModeSchema = z.enum(campaignModes, {
  error: `mode must be one of ${campaignModes.join(', ')}`,
});
export type CampaignMode = z.infer<typeof campaignModeSchema>;

export const campaignModeLabels: Record<CampaignMode, string> = {
  preview: 'Preview',
  progressive: 'Progressive',
  predictive: 'Predictive',
};

export const campaignStates = ['draft', 'running', 'paused', 'finished'] as const;
export const campaignStateSchema = z.enum(campaignStates);
export type CampaignState = z.infer<typeof campaignStateSchema>;

/** `pending` (waits for `nextAt`), `reserved` to a preview agent, `dialling`, `done` (reached), `closed` (gave up). */
export const campaignTaskStatuses = ['pending', 'reserved', 'dialling', 'done', 'closed'] as const;
export const campaignTaskStatusSchema = z.enum(campaignTaskStatuses);
export type CampaignTaskStatus = z.infer<typeof campaignTaskStatusSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time is HH:MM (00:00–23:59)');
const delay = z
  .number({ error: 'A number of seconds' })
  .int('Whole seconds')
  .min(1, 'At least 1 second')
  .max(7 * 86_400, 'At most a week');

/** Predictive: the share of answered customers no agent took that turns pacing back to one per agent. */
export const ABANDON_CAP_DEFAULT = 3;
const abandonCap = z.number({ error: 'A percentage' }).min(0, 'At least 0 %').max(50, 'At most 50 %');
/** What an abandoned customer hears: a built-in prompt's name or `sound:<id>`; null: "all our agents are busy". */
const abandonPrompt = z
  .string({ error: 'A prompt name or sound:<id>' })
  .trim()
  .max(120, 'At most 120 characters')
  .regex(/^(sound:\d+|[a-z0-9][a-z0-9-]{0,63})$/, 'A built-in prompt name or sound:<id>');

export const campaignRetryDefaults = { busy: 300, no_answer: 900, failed: 900, abandoned: 300 };

/** Seconds before a task is dialled again, by the result of its last dial. */
export const campaignRetryDelaysSchema = z
  .object({
    busy: delay.default(campaignRetryDefaults.busy),
    no_answer: delay.default(campaignRetryDefaults.no_answer),
    failed: delay.default(campaignRetryDefaults.failed),
    /** The customer answered while no agent could take them (progressive). */
    abandoned: delay.default(campaignRetryDefaults.abandoned),
  })
  .strict();
export type CampaignRetryDelays = z.infer<typeof campaignRetryDelaysSchema>;

const campaignName = z
  .string({ error: 'Enter a name' })
  .trim()
  .min(1, 'Enter a name')
  .max(100, 'At most 100 characters');
const agentIds = z.array(z.number().int().positive()).max(500, 'At most 500 agents');
const maxAttempts = z
  .number({ error: 'A number of dials' })
  .int('A whole number of dials')
  .min(1, 'At least 1 dial')
  .max(20, 'At most 20 dials');
/** The customers' local hours; null: the dialing policy's. */
const callingHours = z.object({ from: hhmm, to: hhmm }).strict();

/** `POST /api/campaigns` (supervisors): who works it is the queue's members and/or the listed agents. */
export const campaignCreateSchema = z
  .object({
    name: campaignName,
    mode: campaignModeSchema,
    queueId: z.number().int().positive().nullish(),
    agentIds: agentIds.default([]),
    callerId: dialerCallerIdSchema.nullish().transform((v) => v || null),
    maxAttempts: maxAttempts.default(3),
    retryDelaySeconds: campaignRetryDelaysSchema.default(campaignRetryDefaults),
    callingHours: callingHours.nullish(),
    abandonCapPercent: abandonCap.default(ABANDON_CAP_DEFAULT),
    abandonPrompt: abandonPrompt.nullish().transform((v) => v || null),
  })
  .strict()
  .refine((v) => v.queueId != null || v.agentIds.length > 0, {
    path: ['agentIds'],
    message: 'Choose a queue or at least one agent',
  });
export type CampaignCreateRequest = z.input<typeof campaignCreateSchema>;

/**
 * `PATCH /api/campaigns/:id` (supervisors): the fields given change, the others stay. `agentIds`
 * replaces the listed agents (who joined stays joined). `mode` cannot change while the campaign runs.
 */
export const campaignUpdateSchema = z
  .object({
    name: campaignName,
    mode: campaignModeSchema,
    queueId: z.number().int().positive().nullable(),
    agentIds,
    callerId: dialerCallerIdSchema.nullable().transform((v) => v || null),
    maxAttempts,
    retryDelaySeconds: campaignRetryDelaysSchema,
    callingHours: callingHours.nullable(),
    abandonCapPercent: abandonCap,
    abandonPrompt: abandonPrompt.nullable().transform((v) => v || null),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Give at least one field to change' });
export type CampaignUpdateRequest = z.input<typeof campaignUpdateSchema>;

export const campaignStatsSchema = z.object({
  /** Dials placed (each attempt that rang out). */
  dialled: z.number().int(),
  answered: z.number().int(),
  /** Customers who answered while no agent took them. */
  abandoned: z.number().int(),
  /** Tasks still to be worked (pending, reserved or being dialled). */
  remaining: z.number().int(),
  /** Agents joined now. */
  agents: z.number().int(),
  /** Today's abandoned customers per answered customer, in percent; null before the first answer. */
  abandonRate: z.number().nullable(),
  /** The share of the recent dials that answered, in percent; null before the first dial. */
  answerRate: z.number().nullable(),
  /** Predictive: the customers dialled per free agent at the last pacing decision; null otherwise. */
  dialsPerAgent: z.number().nullable(),
});
export type CampaignStats = z.infer<typeof campaignStatsSchema>;

export const campaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  mode: campaignModeSchema,
  state: campaignStateSchema,
  queue: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** The listed agents and everyone who joined. */
  agents: z.array(
    z.object({
      id: z.number().int(),
      displayName: z.string(),
      joined: z.boolean(),
      /** Chosen for the campaign (else a member of its queue who joined). */
      listed: z.boolean(),
    }),
  ),
  callerId: z.string().nullable(),
  maxAttempts: z.number().int(),
  retryDelaySeconds: campaignRetryDelaysSchema,
  callingHours: z.object({ from: z.string(), to: z.string() }).nullable(),
  abandonCapPercent: z.number(),
  abandonPrompt: z.string().nullable(),
  stats: campaignStatsSchema,
  /** The viewer has joined it. */
  joined: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignListResponseSchema = z.object({ campaigns: z.array(campaignSchema) });
export type CampaignListResponse = z.infer<typeof campaignListResponseSchema>;
export const campaignResponseSchema = z.object({ campaign: campaignSchema });

/**
 * `GET /api/campaigns/:id/last-hour`: the campaign's dials that rang out in the last hour, in
 * five-minute buckets (oldest first, twelve of them, the last one the bucket now in progress).
 * `answered` are customers connected to an agent, `abandoned` customers who answered and got no
 * agent; the rest of `dialled` were busy, unanswered or failed.
 */
export const campaignLastHourSchema = z.object({
  bucketMinutes: z.number().int(),
  buckets: z.array(
    z.object({
      start: z.number().int(),
      dialled: z.number().int(),
      answered: z.number().int(),
      abandoned: z.number().int(),
    }),
  ),
});
export type CampaignLastHour = z.infer<typeof campaignLastHourSchema>;
export type CampaignResponse = z.infer<typeof campaignResponseSchema>;

export const campaignTaskSchema = z.object({
  /** The dial task's id. */
  id: z.number().int(),
  customer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** For display, possibly masked; calls are placed by the task's id. */
  number: z.string(),
  note: z.string().nullable(),
  status: campaignTaskStatusSchema,
  attempts: z.number().int(),
  /** The last dial's outcome (`answered`, `busy`, `no_answer`, `abandoned`, `do_not_call`…). */
  outcome: z.string().nullable(),
  /** The dial task's result (set by the dialer, corrected by the agent). */
  result: dialTaskResultSchema,
  nextAt: z.number(),
  agent: z.object({ id: z.number().int(), displayName: z.string() }).nullable(),
});
export type CampaignTask = z.infer<typeof campaignTaskSchema>;

export const campaignTaskListQuerySchema = z.object({
  status: campaignTaskStatusSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type CampaignTaskListQuery = z.input<typeof campaignTaskListQuerySchema>;
export const campaignTaskListResponseSchema = z.object({
  tasks: z.array(campaignTaskSchema),
  total: z.number().int(),
});
export type CampaignTaskListResponse = z.infer<typeof campaignTaskListResponseSchema>;

/** `POST /api/campaigns/:id/tasks`: dial tasks to add, all or none. */
export const campaignTaskAddSchema = z
  .object({
    taskIds: z
      .array(z.number().int().positive(), { error: 'Choose the dial tasks' })
      .min(1, 'Choose at least one dial task')
      .max(10_000, 'At most 10,000 tasks at once'),
  })
  .strict();
export type CampaignTaskAddRequest = z.input<typeof campaignTaskAddSchema>;
export const campaignTaskAddResponseSchema = z.object({ added: z.number().int(), campaign: campaignSchema });
export type CampaignTaskAddResponse = z.infer<typeof campaignTaskAddResponseSchema>;

/**
 * `POST /api/campaigns/:id/tasks/from-customers`: a dial task for each customer a CRM search finds
 * (the customer's first number), assigned to `assignedUserId`, due now and open for `days` days, added
 * to the campaign. All or none; customers without a number are counted in `withoutNumber`.
 */
export const campaignCustomerSourceSchema = z
  .object({
    q: z
      .string({ error: 'Enter what to search the customers for' })
      .trim()
      .min(1, 'Enter what to search the customers for')
      .max(100, 'The search is at most 100 characters'),
    assignedUserId: z
      .number({ error: 'Choose who the tasks are for' })
      .int('Choose who the tasks are for')
      .positive('Choose who the tasks are for'),
    days: z
      .number({ error: 'Days must be a whole number' })
      .int('Days must be a whole number')
      .min(1, 'Days must be at least 1')
      .max(365, 'Days may be at most 365')
      .default(30),
    note: z.string().trim().max(500, 'The note is at most 500 characters').nullish(),
  })
  .strict();
export type CampaignCustomerSourceRequest = z.input<typeof campaignCustomerSourceSchema>;
export const campaignCustomerSourceResponseSchema = z.object({
  added: z.number().int(),
  withoutNumber: z.number().int(),
  campaign: campaignSchema,
});
export type CampaignCustomerSourceResponse = z.infer<typeof campaignCustomerSourceResponseSchema>;

/** `GET /api/campaigns/:id/next` (preview): the task reserved to the viewer, null when none is due. */
export const campaignNextResponseSchema = z.object({ task: campaignTaskSchema.nullable() });
export type CampaignNextResponse = z.infer<typeof campaignNextResponseSchema>;
export const campaignTaskResponseSchema = z.object({ task: campaignTaskSchema });
export type CampaignTaskResponse = z.infer<typeof campaignTaskResponseSchema>;

/** `POST /api/campaigns/:id/tasks/:taskId/result`: the agent's result of the call, from the call bar. */
export const campaignTaskResultSchema = z.object({ result: dialTaskResultSchema }).strict();
export type CampaignTaskResultRequest = z.input<typeof campaignTaskResultSchema>;

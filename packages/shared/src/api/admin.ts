import { z } from 'zod';
import { roleSchema, userTimeZoneSchema } from './auth';

const trimmed = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `At most ${max} characters`);
const nullableText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

export const idParamSchema = z.object({
  id: z.coerce
    .number({ error: 'Must be a number' })
    .int('Must be a whole number')
    .min(1)
    .max(2 ** 31 - 1),
});

export const extensionNumberSchema = z
  .string({ error: 'Extension number is required' })
  .trim()
  .regex(/^[0-9]{2,8}$/, 'An extension number has 2 to 8 digits');
export const sipSecretSchema = z
  .string()
  .min(8, 'A SIP secret has at least 8 characters')
  .max(64, 'At most 64 characters')
  .regex(/^[\x21-\x7e]+$/, 'Printable characters without spaces only');
export const passwordSchema = z.string().min(4, 'At least 4 characters').max(200, 'At most 200 characters');

export const extensionInputSchema = z
  .object({
    number: extensionNumberSchema,
    type: z.enum(['web', 'sip'], { error: 'Choose web or sip' }),
    sipSecret: sipSecretSchema.nullish(),
    recordingEnabled: z.boolean().default(false),
  })
  .strict()
  .refine((e) => e.type !== 'sip' || !!e.sipSecret, {
    path: ['sipSecret'],
    message: 'A SIP extension needs a SIP secret',
  });
export type ExtensionInput = z.infer<typeof extensionInputSchema>;

export const createUserSchema = z
  .object({
    username: z
      .string({ error: 'Username is required' })
      .trim()
      .regex(
        /^[a-z][a-z0-9._-]{1,31}$/i,
        'Letters, digits, dot, dash or underscore; 2 to 32, starting with a letter',
      ),
    displayName: trimmed('Display name', 100),
    role: roleSchema,
    agentId: z
      .string()
      .trim()
      .regex(/^[0-9]{2,10}$/, 'An agent ID has 2 to 10 digits')
      .nullish()
      .transform((v) => v ?? null),
    password: passwordSchema,
    extension: extensionInputSchema.nullish().transform((v) => v ?? null),
  })
  .strict();
export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: trimmed('Display name', 100).optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    /** null: not chosen (the user's browser zone is used). */
    timeZone: userTimeZoneSchema.optional(),
    /** The queues the user answers, all of them: added ones join with penalty 0, others keep theirs. */
    queueIds: z.array(z.number().int().min(1)).max(200).optional(),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const resetPasswordSchema = z.object({ password: passwordSchema }).strict();

export const updateExtensionSchema = z
  .object({
    number: extensionNumberSchema.optional(),
    recordingEnabled: z.boolean().optional(),
    type: z.enum(['web', 'sip']).optional(),
    sipSecret: sipSecretSchema.nullish(),
  })
  .strict();
export type UpdateExtensionInput = z.infer<typeof updateExtensionSchema>;

export const adminUserSchema = z.object({
  id: z.number(),
  username: z.string(),
  agentId: z.string().nullable(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  timeZone: z.string().nullable(),
  queueIds: z.array(z.number()),
  extension: z
    .object({
      id: z.number(),
      number: z.string(),
      type: z.enum(['web', 'sip']),
      recordingEnabled: z.boolean(),
      /** Whether a SIP secret is set; the secret itself is never sent back. */
      hasSipSecret: z.boolean(),
    })
    .nullable(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const queueStrategies = ['ring-all', 'longest-idle', 'round-robin', 'fewest-calls', 'random'] as const;
export const queueOverflowTypes = ['queue', 'extension', 'hangup'] as const;

export const virtualHoldModes = ['customer_first', 'agent_first'] as const;
export type VirtualHoldMode = (typeof virtualHoldModes)[number];

const wholeSeconds = (min: number, max: number) =>
  z
    .number({ error: 'A number of seconds' })
    .int('Whole seconds')
    .min(min, `At least ${min} s`)
    .max(max, `At most ${max} s`);
/** A caller ID the dialer shows customers: digits, optionally with a leading + ('' clears it). */
export const dialerCallerIdSchema = z
  .string({ error: 'A caller ID is a phone number' })
  .trim()
  .max(32, 'At most 32 characters')
  .refine(
    (v) => v === '' || /^\+?[0-9]{3,20}$/.test(v),
    'A caller ID is digits, optionally with a leading +',
  );

const queueFields = {
  name: z
    .string({ error: 'Name is required' })
    .trim()
    .regex(/^[a-z0-9][a-z0-9 _-]{0,39}$/i, 'Letters, digits, space, dash or underscore; up to 40'),
  strategy: z.enum(queueStrategies, { error: 'Choose a strategy' }),
  ringTimeoutS: wholeSeconds(5, 300),
  /** Pause between two rounds of offers that found nobody. */
  retryDelayS: wholeSeconds(0, 300),
  wrapupS: wholeSeconds(0, 600),
  /** Consecutive missed offers before the agent is paused "missed"; 0 = never. */
  maxNoAnswer: z
    .number({ error: 'A number' })
    .int('Whole number')
    .min(0, 'At least 0 (never)')
    .max(100, 'At most 100'),
  maxWaitS: wholeSeconds(10, 7200),
  /** Callers waiting at most; 0 = unlimited. */
  maxLength: z
    .number({ error: 'A number' })
    .int('Whole number')
    .min(0, 'At least 0 (unlimited)')
    .max(10_000, 'At most 10000'),
  /**
   * Where a caller goes after max wait or when the queue is full. `queue`: another queue's id;
   * `extension`: an extension number; `hangup` / null: the busy message, then hang up (no target).
   * The server checks that the target exists.
   */
  overflow: z
    .object(
      {
        type: z.enum(queueOverflowTypes, { error: 'Choose queue, extension or hang up' }).nullable(),
        target: z
          .string({ error: 'Choose a target' })
          .trim()
          .max(40, 'At most 40 characters')
          .nullish()
          .transform((v) => (v ? v : null)),
      },
      { error: 'Overflow is { type, target }' },
    )
    .strict(),
  /** A music prompt's name (GET /api/admin/queues lists them); null = the default hold music. */
  holdMusic: z
    .string({ error: 'Choose hold music' })
    .trim()
    .max(60, 'At most 60 characters')
    .nullable()
    .transform((v) => (v ? v : null)),
  /** Position / expected-wait announcements every this many seconds; 0 = off. */
  announceIntervalS: z
    .number({ error: 'A number of seconds' })
    .int('Whole seconds')
    .max(3600, 'At most 3600 s')
    .refine((v) => v === 0 || v >= 15, '0 (off) or at least 15 s'),
  /** Answered within this many seconds counts toward the service level. */
  serviceLevelS: wholeSeconds(5, 3600),
  /** The percent of calls to answer within serviceLevelS: the queue's target on the wallboard. */
  serviceLevelTargetPercent: z
    .number({ error: 'A percentage' })
    .int('A whole percentage')
    .min(1, 'At least 1 %')
    .max(100, 'At most 100 %'),
  /** The number customers see when the dialer calls for this queue; null = the dialing policy's. */
  callerId: dialerCallerIdSchema.nullable().transform((v) => (v ? v : null)),
  /**
   * Queued callback (virtual hold, docs/dialer.md): waiting callers whose expected wait is at least
   * `thresholdS` are offered to be called back without losing their place; `mode` says who is
   * connected first; a callback is dialled at most `maxAttempts` times, `retryDelayS` apart.
   */
  virtualHold: z
    .object(
      {
        enabled: z.boolean({ error: 'On or off' }),
        thresholdS: wholeSeconds(0, 7200),
        mode: z.enum(virtualHoldModes, { error: 'Choose customer first or agent first' }),
        maxAttempts: z
          .number({ error: 'A number' })
          .int('Whole number')
          .min(1, 'At least 1')
          .max(10, 'At most 10'),
        retryDelayS: wholeSeconds(1, 3600),
      },
      { error: 'Virtual hold is { enabled, thresholdS, mode, maxAttempts, retryDelayS }' },
    )
    .strict(),
};

export const virtualHoldDefaults = {
  enabled: false,
  thresholdS: 120,
  mode: 'customer_first',
  maxAttempts: 3,
  retryDelayS: 120,
} as const;

export const queueInputSchema = z
  .object({
    name: queueFields.name,
    strategy: queueFields.strategy.default('longest-idle'),
    ringTimeoutS: queueFields.ringTimeoutS.default(20),
    retryDelayS: queueFields.retryDelayS.default(2),
    wrapupS: queueFields.wrapupS.default(10),
    maxNoAnswer: queueFields.maxNoAnswer.default(3),
    maxWaitS: queueFields.maxWaitS.default(600),
    maxLength: queueFields.maxLength.default(0),
    overflow: queueFields.overflow.default({ type: null, target: null }),
    holdMusic: queueFields.holdMusic.default(null),
    announceIntervalS: queueFields.announceIntervalS.default(60),
    serviceLevelS: queueFields.serviceLevelS.default(20),
    serviceLevelTargetPercent: queueFields.serviceLevelTargetPercent.default(80),
    callerId: queueFields.callerId.default(null),
    virtualHold: queueFields.virtualHold.default({ ...virtualHoldDefaults }),
  })
  .strict();
export type QueueInput = z.input<typeof queueInputSchema>;
export const queueUpdateSchema = z
  .object({
    name: queueFields.name.optional(),
    strategy: queueFields.strategy.optional(),
    ringTimeoutS: queueFields.ringTimeoutS.optional(),
    retryDelayS: queueFields.retryDelayS.optional(),
    wrapupS: queueFields.wrapupS.optional(),
    maxNoAnswer: queueFields.maxNoAnswer.optional(),
    maxWaitS: queueFields.maxWaitS.optional(),
    maxLength: queueFields.maxLength.optional(),
    overflow: queueFields.overflow.optional(),
    holdMusic: queueFields.holdMusic.optional(),
    announceIntervalS: queueFields.announceIntervalS.optional(),
    serviceLevelS: queueFields.serviceLevelS.optional(),
    serviceLevelTargetPercent: queueFields.serviceLevelTargetPercent.optional(),
    callerId: queueFields.callerId.optional(),
    virtualHold: queueFields.virtualHold.optional(),
  })
  .strict();
export type QueueUpdate = z.input<typeof queueUpdateSchema>;

export const queueMemberInputSchema = z
  .object({
    userId: z.number({ error: 'Choose a user' }).int().min(1),
    penalty: z
      .number({ error: 'Penalty is a number' })
      .int('Whole number')
      .min(0, 'At least 0')
      .max(99, 'At most 99')
      .default(0),
  })
  .strict();
export const queueMemberUpdateSchema = z
  .object({
    penalty: z
      .number({ error: 'Penalty is a number' })
      .int('Whole number')
      .min(0, 'At least 0')
      .max(99, 'At most 99'),
  })
  .strict();

export const pauseReasonInputSchema = z
  .object({
    name: trimmed('Name', 40),
    active: z.boolean().default(true),
    sortOrder: z.number().int().min(0).max(1000).default(0),
  })
  .strict();
export const pauseReasonUpdateSchema = z
  .object({
    name: trimmed('Name', 40).optional(),
    active: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

export const inboundRouteInputSchema = z
  .object({
    number: z
      .string({ error: 'Number is required' })
      .trim()
      .regex(/^\+?[0-9]{3,20}$/, 'A number of 3 to 20 digits, optionally starting with +'),
    targetType: z.enum(['queue', 'extension', 'callback_service', 'flow'], {
      error: 'Choose queue, extension, callback service or call flow',
    }),
    targetId: z.string({ error: 'Choose a target' }).trim().min(1, 'Choose a target').max(40),
  })
  .strict();
export type InboundRouteInput = z.infer<typeof inboundRouteInputSchema>;

const trunkAddress = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9.:-]+(\/\d{1,3})?$/, 'An IP address, CIDR block or host name');

/** The carrier's own cap on calls the dialer starts through the trunk; null: the dialer's global one. */
const trunkCallsPerSecond = z
  .number({ error: 'Calls per second must be a number' })
  .positive('Calls per second must be above 0')
  .max(1000, 'Calls per second may be at most 1000')
  .nullable();
const trunkMaxConcurrent = z
  .number({ error: 'Concurrent calls must be a whole number' })
  .int('Concurrent calls must be a whole number')
  .min(1, 'Concurrent calls must be at least 1')
  .max(10_000, 'Concurrent calls may be at most 10000')
  .nullable();

export const trunkInputSchema = z
  .object({
    name: trimmed('Name', 60),
    uri: z
      .string({ error: 'URI is required' })
      .trim()
      .regex(/^sips?:[^\s]+$/, 'A SIP URI such as sip:carrier.example.com:5060'),
    username: nullableText(100),
    /** Write-only: never returned. Omit on update to keep the stored password; null clears it. */
    password: z.string().max(200).nullish(),
    transport: z.enum(['udp', 'tcp']).default('udp'),
    register: z.boolean().default(false),
    enabled: z.boolean().default(true),
    callerId: nullableText(40),
    /** Extra addresses inbound calls are accepted from, besides the URI host's (IP, CIDR or host name). */
    inboundAddresses: z.array(trunkAddress).max(50).default([]),
    dialerCallsPerSecond: trunkCallsPerSecond.default(null),
    dialerMaxConcurrent: trunkMaxConcurrent.default(null),
  })
  .strict();
export type TrunkInput = z.input<typeof trunkInputSchema>;
export const trunkUpdateSchema = z
  .object({
    name: trimmed('Name', 60).optional(),
    uri: trunkInputSchema.shape.uri.optional(),
    username: nullableText(100).optional(),
    password: z.string().max(200).nullish(),
    transport: z.enum(['udp', 'tcp']).optional(),
    register: z.boolean().optional(),
    enabled: z.boolean().optional(),
    callerId: nullableText(40).optional(),
    inboundAddresses: z.array(trunkAddress).max(50).optional(),
    dialerCallsPerSecond: trunkCallsPerSecond.optional(),
    dialerMaxConcurrent: trunkMaxConcurrent.optional(),
  })
  .strict();

/** What the switch sees of a trunk right now (on the node that answered). */
export const trunkLiveSchema = z.object({
  state: z.enum(['up', 'down', 'registering', 'unregistered', 'disabled']),
  registration: z
    .object({
      state: z.enum(['registering', 'registered', 'failed', 'unregistered']),
      expiresAt: z.number().nullable(),
      lastStatus: z.number().nullable(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.number().nullable(),
    })
    .nullable(),
  keepalive: z.object({
    up: z.boolean().nullable(),
    lastCheckedAt: z.number().nullable(),
    lastStatus: z.number().nullable(),
    failures: z.number(),
  }),
  addresses: z.array(z.string()),
});
export type TrunkLive = z.infer<typeof trunkLiveSchema>;

export const trunkSchema = z.object({
  id: z.number(),
  name: z.string(),
  uri: z.string(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  transport: z.enum(['udp', 'tcp']),
  register: z.boolean(),
  enabled: z.boolean(),
  callerId: z.string().nullable(),
  inboundAddresses: z.array(z.string()).optional(),
  /** The carrier's caps on the dialer's calls through this trunk (null: the dialer's global caps). */
  dialerCallsPerSecond: z.number().nullable(),
  dialerMaxConcurrent: z.number().int().nullable(),
  live: trunkLiveSchema.nullable().optional(),
});
export type Trunk = z.infer<typeof trunkSchema>;

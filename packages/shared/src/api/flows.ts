import { z } from 'zod';

/**
 * Call flows: a graph of components, each with named exits leading to another component (or
 * nowhere, which validation refuses at publish). The same schemas check a flow in the editor's
 * side panel and on the server.
 */

const DIGIT_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
export const flowDigitSchema = z.enum(DIGIT_KEYS, { error: 'A key of the dial pad (0-9, * or #)' });

const promptName = z
  .string({ error: 'Choose a prompt' })
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'A prompt name: lower-case letters, digits and dashes');

/**
 * What a component plays: a built-in prompt by name, an uploaded sound from the sound library by
 * id, or a variable said as digits. The runner and the editor switch on the key.
 */
export const flowPromptSchema = z.union([
  z.object({ prompt: promptName }).strict(),
  z.object({ sound: z.number({ error: 'Choose a sound' }).int().min(1, 'Choose a sound') }).strict(),
  z.object({ sayDigitsOf: z.string().trim().min(1).max(40) }).strict(),
]);
export type FlowPrompt = z.infer<typeof flowPromptSchema>;

const prompts = (min: number) =>
  z
    .array(flowPromptSchema)
    .min(min, min === 1 ? 'Add at least one prompt' : `Add at least ${min} prompts`)
    .max(20, 'At most 20 prompts');

const variableName = z
  .string({ error: 'Name the variable' })
  .trim()
  .regex(
    /^[a-zA-Z_][a-zA-Z0-9_]{0,39}$/,
    'A variable name: letters, digits and _, not starting with a digit',
  );

const seconds = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} is a number of seconds` })
    .int(`${label}: whole seconds`)
    .min(min, `${label}: at least ${min} s`)
    .max(max, `${label}: at most ${max} s`);

const phoneNumber = z
  .string({ error: 'Enter a number' })
  .trim()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'An international number: + then 7 to 15 digits');

const extensionNumber = z
  .string({ error: 'Enter an extension' })
  .trim()
  .regex(/^[0-9]{2,10}$/, 'An extension of 2 to 10 digits');

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, 'A time of day as HH:MM (24-hour)');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const flowPlaySettingsSchema = z.object({ prompts: prompts(1) }).strict();

export const flowMenuSettingsSchema = z
  .object({
    prompts: prompts(1),
    /** Keys the caller may press; each is an exit named after the key. */
    choices: z
      .array(flowDigitSchema)
      .min(1, 'Offer at least one key')
      .max(12)
      .refine((keys) => new Set(keys).size === keys.length, 'Each key once'),
    timeoutS: seconds('Timeout', 1, 60),
    /** How many times the menu is offered before the timeout or invalid exit is taken. */
    attempts: z.number().int().min(1, 'At least 1 attempt').max(5, 'At most 5 attempts'),
    /** Played before offering the menu again after a wrong key or no key. */
    retryPrompts: z.array(flowPromptSchema).max(5).default([]),
  })
  .strict();

export const flowCollectSettingsSchema = z
  .object({
    prompts: prompts(1),
    variable: variableName,
    maxDigits: z.number().int().min(1).max(32),
    terminator: z.enum(['#', '*']).nullable().default('#'),
    firstDigitTimeoutS: seconds('First digit timeout', 1, 60),
    interDigitTimeoutS: seconds('Inter-digit timeout', 1, 30),
  })
  .strict();

export const flowOpeningHoursSchema = z
  .object({
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1, 'Choose at least one day').max(7),
    from: hhmm,
    to: hhmm,
  })
  .strict()
  .refine((h) => h.from < h.to, { message: 'The opening time comes before the closing time', path: ['to'] });

export const flowTimeConditionSettingsSchema = z
  .object({
    timeZone: z.string().trim().refine(isTimeZone, 'An IANA time zone, e.g. Europe/Paris'),
    hours: z.array(flowOpeningHoursSchema).max(30),
    /** Closed all day on these dates (in the time zone). */
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD'))
      .max(366)
      .default([]),
  })
  .strict();

export const flowQueueSettingsSchema = z
  .object({
    queueId: z.number({ error: 'Choose a queue' }).int().min(1, 'Choose a queue'),
    priority: z.enum(['normal', 'high']).default('normal'),
    /** Waited this long → the `max_wait` exit (or the queue's overflow rule); null: the queue's own maximum wait. */
    maxWaitS: seconds('Max wait', 1, 86_400).nullable().default(null),
  })
  .strict();

export const flowExtensionSettingsSchema = z
  .object({ extension: extensionNumber, ringTimeoutS: seconds('Ring timeout', 5, 120) })
  .strict();

export const flowOutsideNumberSettingsSchema = z
  .object({
    number: phoneNumber,
    /** A trunk by id, or the first trunk that is up. */
    trunkId: z.number().int().min(1).nullable().default(null),
    ringTimeoutS: seconds('Ring timeout', 5, 120),
  })
  .strict();

export const flowSetVariableSettingsSchema = z
  .object({
    variable: variableName,
    /** Literal text; `{caller}`, `{called}` and `{var}` (another variable) are replaced. */
    value: z.string().max(200),
  })
  .strict();

export const flowSetCallerIdSettingsSchema = z
  .object({ number: phoneNumber, name: z.string().trim().max(40).nullable().default(null) })
  .strict();

export const flowConditionSettingsSchema = z
  .object({
    /** `caller` is the caller's number; otherwise a variable. */
    subject: z.union([z.literal('caller'), z.object({ variable: variableName }).strict()]),
    operator: z.enum(['equals', 'starts_with', 'is_empty']),
    value: z.string().max(100).default(''),
  })
  .strict();

export const flowCallbackMethods = ['caller', 'number', 'extension'] as const;
export const flowCallbackSettingsSchema = z
  .object({
    /** Call back the caller, a fixed number, or an extension. */
    method: z.enum(flowCallbackMethods),
    trunkId: z.number().int().min(1).nullable().default(null),
    number: phoneNumber.nullable().default(null),
    extension: extensionNumber.nullable().default(null),
    callerId: phoneNumber.nullable().default(null),
    delayS: seconds('Delay', 0, 3600),
    /** Time to type each further digit on the call back; when it runs out the call ends. */
    timeoutS: seconds('Digit timeout', 1, 60),
    ringTimeoutS: seconds('Ring timeout', 5, 120).default(30),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.method === 'number' && !s.number)
      ctx.addIssue({ code: 'custom', path: ['number'], message: 'Enter the number to call back' });
    if (s.method === 'extension' && !s.extension)
      ctx.addIssue({ code: 'custom', path: ['extension'], message: 'Enter the extension to call back' });
  });

/** Hands the call to a callback service, as if it had called the service's access number. */
export const flowCallbackServiceSettingsSchema = z
  .object({
    serviceId: z.number({ error: 'Choose a callback service' }).int().min(1, 'Choose a callback service'),
  })
  .strict();

const empty = z.object({}).strict();

/** Each component type: its settings schema and its fixed exits (a menu adds one per key). */
export const flowComponentSettingsSchemas = {
  play: flowPlaySettingsSchema,
  menu: flowMenuSettingsSchema,
  collect: flowCollectSettingsSchema,
  time_condition: flowTimeConditionSettingsSchema,
  queue: flowQueueSettingsSchema,
  extension: flowExtensionSettingsSchema,
  outside_number: flowOutsideNumberSettingsSchema,
  hangup: empty,
  set_variable: flowSetVariableSettingsSchema,
  set_caller_id: flowSetCallerIdSettingsSchema,
  condition: flowConditionSettingsSchema,
  callback: flowCallbackSettingsSchema,
  callback_service: flowCallbackServiceSettingsSchema,
} as const;
export type FlowComponentType = keyof typeof flowComponentSettingsSchemas;
export const flowComponentTypes = Object.keys(flowComponentSettingsSchemas) as FlowComponentType[];

const FIXED_EXITS: Record<FlowComponentType, string[]> = {
  play: ['next'],
  menu: ['timeout', 'invalid'],
  collect: ['next', 'timeout'],
  time_condition: ['open', 'closed'],
  queue: ['full', 'max_wait', 'no_agents'],
  extension: ['no_answer'],
  outside_number: ['failed'],
  hangup: [],
  set_variable: ['next'],
  set_caller_id: ['next'],
  condition: ['match', 'else'],
  callback: ['next'],
  callback_service: [],
};

export const flowComponentLabels: Record<FlowComponentType, string> = {
  play: 'Play',
  menu: 'Menu',
  collect: 'Collect digits',
  time_condition: 'Time condition',
  queue: 'Queue',
  extension: 'Extension',
  outside_number: 'Outside number',
  hangup: 'Hang up',
  set_variable: 'Set variable',
  set_caller_id: 'Set caller ID',
  condition: 'Condition',
  callback: 'Callback',
  callback_service: 'Callback service',
};

const componentId = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,40}$/, 'A component id: letters, digits, _ and -, at most 40');

/** A component as stored: settings are checked against its type's schema by `checkFlowComponent`. */
export const flowComponentSchema = z
  .object({
    id: componentId,
    type: z.enum(flowComponentTypes as [FlowComponentType, ...FlowComponentType[]], {
      error: 'An unknown component type',
    }),
    /** The name shown on the canvas and in validation messages. */
    label: z.string().trim().max(60).default(''),
    position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
    settings: z.record(z.string(), z.unknown()).default({}),
    /** Exit name → the id of the component it leads to (null: nowhere yet). */
    exits: z.record(z.string(), componentId.nullable()).default({}),
  })
  .strict();
export type FlowComponent = z.infer<typeof flowComponentSchema>;

export const flowDefinitionSchema = z
  .object({
    /** The component a call starts at. */
    start: componentId.nullable(),
    components: z.array(flowComponentSchema).max(200, 'At most 200 components'),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of d.components.entries()) {
      if (seen.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'id'],
          message: `Two components are named ${c.id}`,
        });
      seen.add(c.id);
    }
  });
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;

/**
 * Exits that may stay unwired: the call then does what it would without the flow (a Queue's max
 * wait and no agents follow the queue's own rules).
 */
const OPTIONAL_EXITS: Partial<Record<FlowComponentType, readonly string[]>> = {
  queue: ['max_wait', 'no_agents'],
};

export function flowExitIsOptional(type: FlowComponentType, exit: string): boolean {
  return OPTIONAL_EXITS[type]?.includes(exit) ?? false;
}

/** The exits a component has, in display order. */
export function flowExitNames(type: FlowComponentType, settings: unknown): string[] {
  if (type === 'menu') {
    const parsed = flowMenuSettingsSchema.safeParse(settings);
    const choices = parsed.success
      ? parsed.data.choices
      : Array.isArray((settings as { choices?: unknown })?.choices)
        ? ((settings as { choices: unknown[] }).choices.filter((k) => typeof k === 'string') as string[])
        : [];
    return [...choices.map((k) => `key:${k}`), ...FIXED_EXITS.menu];
  }
  return FIXED_EXITS[type];
}

/** Components that make the caller listen or wait: a loop through one of them cannot spin. */
export const flowWaitingTypes: ReadonlySet<FlowComponentType> = new Set([
  'play',
  'menu',
  'collect',
  'queue',
  'extension',
  'outside_number',
  'callback',
  'callback_service',
  'hangup',
]);

export type FlowSettingsOf<T extends FlowComponentType> = z.output<(typeof flowComponentSettingsSchemas)[T]>;

/** One reason a flow cannot be published, naming the component. */
export const flowProblemSchema = z.object({
  componentId: z.string().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});
export type FlowProblem = z.infer<typeof flowProblemSchema>;

function componentName(c: FlowComponent): string {
  return c.label ? `${c.label} (${c.id})` : `${flowComponentLabels[c.type]} ${c.id}`;
}

/**
 * Everything wrong with a flow that can be told from the flow alone: settings, exits leading
 * nowhere or to a missing component, loops with nothing that waits. Prompts' files and queues'
 * existence are the server's to check.
 */
export function checkFlowDefinition(d: FlowDefinition): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const byId = new Map(d.components.map((c) => [c.id, c]));
  if (!d.start)
    problems.push({ componentId: null, field: 'start', message: 'Choose the component a call starts at' });
  else if (!byId.has(d.start))
    problems.push({
      componentId: null,
      field: 'start',
      message: `The start component ${d.start} does not exist`,
    });
  for (const c of d.components) {
    const parsed = flowComponentSettingsSchemas[c.type].safeParse(c.settings);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || null;
        problems.push({
          componentId: c.id,
          field,
          message: `${componentName(c)}: ${issue.message}`,
        });
      }
    }
    const names = flowExitNames(c.type, c.settings);
    for (const exit of names) {
      const to = c.exits[exit];
      if (!to && flowExitIsOptional(c.type, exit)) continue;
      if (!to)
        problems.push({
          componentId: c.id,
          field: `exits.${exit}`,
          message: `${componentName(c)}: the ${exitLabel(exit)} exit leads nowhere`,
        });
      else if (!byId.has(to))
        problems.push({
          componentId: c.id,
          field: `exits.${exit}`,
          message: `${componentName(c)}: the ${exitLabel(exit)} exit leads to ${to}, which does not exist`,
        });
    }
    for (const exit of Object.keys(c.exits))
      if (!names.includes(exit) && c.exits[exit])
        problems.push({
          componentId: c.id,
          field: `exits.${exit}`,
          message: `${componentName(c)}: has no ${exitLabel(exit)} exit`,
        });
  }
  // A loop made only of components that neither play nor wait would spin a call forever.
  const spinning = findSpinningLoop(d, byId);
  if (spinning)
    problems.push({
      componentId: spinning.id,
      field: null,
      message: `${componentName(spinning)}: is in a loop with no prompt or wait in it`,
    });
  return problems;
}

export function exitLabel(exit: string): string {
  return exit.startsWith('key:') ? `key ${exit.slice(4)}` : exit.replace(/_/g, ' ');
}

function findSpinningLoop(d: FlowDefinition, byId: Map<string, FlowComponent>): FlowComponent | null {
  const instant = d.components.filter((c) => !flowWaitingTypes.has(c.type));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (c: FlowComponent): FlowComponent | null => {
    state.set(c.id, 'open');
    for (const to of Object.values(c.exits)) {
      const next = to ? byId.get(to) : undefined;
      if (!next || flowWaitingTypes.has(next.type)) continue;
      const s = state.get(next.id);
      if (s === 'open') return next;
      if (!s) {
        const found = visit(next);
        if (found) return found;
      }
    }
    state.set(c.id, 'done');
    return null;
  };
  for (const c of instant) {
    if (state.has(c.id)) continue;
    const found = visit(c);
    if (found) return found;
  }
  return null;
}

// ---- API ---------------------------------------------------------------------------------------

const flowName = z
  .string({ error: 'Name is required' })
  .trim()
  .min(1, 'Name is required')
  .max(80, 'At most 80 characters');
const flowDescription = z
  .string()
  .trim()
  .max(200, 'At most 200 characters')
  .nullish()
  .transform((v) => (v ? v : null));

export const emptyFlowDefinition = (): FlowDefinition => ({ start: null, components: [] });

export const flowCreateSchema = z
  .object({
    name: flowName,
    description: flowDescription,
    definition: flowDefinitionSchema.optional(),
  })
  .strict();
export type FlowCreateInput = z.input<typeof flowCreateSchema>;

export const flowUpdateSchema = z
  .object({
    name: flowName.optional(),
    description: flowDescription.optional(),
    definition: flowDefinitionSchema.optional(),
  })
  .strict();
export type FlowUpdateInput = z.input<typeof flowUpdateSchema>;

export const flowSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  publishedVersion: z.number().nullable(),
  /** The draft differs from the published version. */
  draftChanged: z.boolean(),
  /** Inbound numbers routed to the flow. */
  numbers: z.array(z.string()),
  updatedAt: z.number(),
});
export type FlowSummary = z.infer<typeof flowSummarySchema>;

export const callFlowSchema = flowSummarySchema.extend({
  draft: flowDefinitionSchema,
  /** What stops the draft from being published (empty: it can be). */
  problems: z.array(flowProblemSchema),
});
export type CallFlow = z.infer<typeof callFlowSchema>;

export const flowVersionSchema = z.object({
  version: z.number(),
  publishedAt: z.number(),
  publishedBy: z.string().nullable(),
  definition: flowDefinitionSchema,
});
export type FlowVersion = z.infer<typeof flowVersionSchema>;

export interface FlowsResponse {
  flows: FlowSummary[];
}
export interface FlowResponse {
  flow: CallFlow;
}
export interface FlowVersionsResponse {
  versions: FlowVersion[];
}
export interface FlowPublishResponse {
  version: number;
  flow: CallFlow;
}
/** The built-in prompts a Play or Menu component can name. */
export interface FlowPromptsResponse {
  prompts: string[];
}

// ---- live ----------------------------------------------------------------------------------------

/** A call in a flow entered a component, left it by an exit, or ended (live stream, supervisors). */
export const flowStepEventSchema = z.object({
  type: z.literal('flow_step'),
  callId: z.string(),
  flowId: z.number(),
  /** The published version the call runs; null for a test call into the draft. */
  version: z.number().nullable(),
  componentId: z.string().nullable(),
  /** `enter`: the call is now in the component; `exit`: it left by `exit`; `end`: the flow is over. */
  step: z.enum(['enter', 'exit', 'end']),
  exit: z.string().nullable(),
  at: z.number(),
});
export type FlowStepEvent = z.infer<typeof flowStepEventSchema>;

/**
 * A flow's counters: calls in each component now (this node), and for one published version (or
 * the draft's test calls) the calls that entered each component and left by each exit today (UTC,
 * every node, kept across restarts).
 */
export interface FlowLiveResponse {
  day: string;
  /** The published version the day's counts are of (null: test calls into the draft). */
  version: number | null;
  /** Component id → calls in it now. */
  inComponent: Record<string, number>;
  /** Component id → calls that entered it today. */
  enteredToday: Record<string, number>;
  /** `componentId:exit` → calls that left by it today. */
  exitsToday: Record<string, number>;
}

/** `GET …/live?version=`: a published version's number or `draft`; the published one by default. */
export const flowLiveQuerySchema = z.object({
  version: z
    .union([z.literal('draft'), z.coerce.number().int().min(1, 'A published version number')])
    .optional(),
});

export interface FlowTestCallResponse {
  callId: string;
}

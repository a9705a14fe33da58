import { z } from 'zod';

export const callTypes = ['inbound', 'manual', 'auto'] as const;
export const callTypeSchema = z.enum(callTypes);
export type CallType = z.infer<typeof callTypeSchema>;
/** The product's names for the call types (docs/agent-desk.md). */
export const callTypeLabels: Record<CallType, string> = {
  inbound: 'Inbound',
  manual: 'Manual Dialed',
  auto: 'Auto Dialed',
};

/** Calls a server service placed or steered, named by their service where it has a name of its own. */
export const callServiceLabels: Record<string, string> = {
  web_callback: 'Web callback',
  callback: 'Callback',
  callback_service: 'Callback trigger',
  scheduled_callback: 'Scheduled callback',
  flow: 'Call flow',
};

/** The type a CDR row shows: the service's name when it has one, else the call type. */
export function cdrTypeLabel(type: CallType, service: string | null): string {
  return (service && callServiceLabels[service]) || callTypeLabels[type];
}

export const cdrDispositions = ['answered', 'unanswered', 'busy'] as const;
export const cdrDispositionSchema = z.enum(cdrDispositions);
export type CdrDisposition = z.infer<typeof cdrDispositionSchema>;

/** The columns the CDR search may be sorted by (an allow-list: nothing else reaches SQL). */
export const cdrSortColumns = ['startedAt', 'duration', 'ringTime', 'type', 'disposition'] as const;
export type CdrSortColumn = (typeof cdrSortColumns)[number];

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Epoch milliseconds or an ISO date-time in a query string. */
export const queryTimeSchema = z.preprocess(
  emptyToUndefined,
  z
    .union([
      z
        .string()
        .regex(/^\d{1,15}$/)
        .transform(Number),
      z.iso.datetime({ offset: true, local: true }).transform((v) => Date.parse(v)),
      z.iso.date().transform((v) => Date.parse(v)),
    ])
    .refine((v) => Number.isFinite(v), 'Enter a date and time')
    .optional(),
);

const optionalText = (max: number) =>
  z.preprocess(emptyToUndefined, z.string().trim().max(max, `At most ${max} characters`).optional());

/** Partial number: digits (and the usual separators, ignored); at least 3 digits so the index can help. */
export const numberFragmentSchema = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .max(32, 'At most 32 characters')
    .regex(/^\+?[0-9 ()*.-]+$/, 'Use digits only')
    .transform((v) => v.replace(/\D+/g, ''))
    .refine((v) => v.length >= 3, 'Enter at least 3 digits')
    .optional(),
);

const intParam = (min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'Enter a whole number' })
      .int('Enter a whole number')
      .min(min, `At least ${min}`)
      .max(max, `At most ${max}`)
      .optional(),
  );

const cdrFilterShape = {
  customer: optionalText(100),
  number: numberFragmentSchema,
  queueId: intParam(1, 2 ** 31 - 1),
  agentId: intParam(1, 2 ** 31 - 1),
  from: queryTimeSchema,
  to: queryTimeSchema,
  minDuration: intParam(0, 86_400),
  type: z.preprocess(emptyToUndefined, callTypeSchema.optional()),
  disposition: z.preprocess(emptyToUndefined, cdrDispositionSchema.optional()),
  /** The disposition code the agent picked at wrap-up (exact name, any case). */
  wrapupCode: optionalText(60),
};
const cdrSortShape = {
  sort: z.preprocess(emptyToUndefined, z.enum(cdrSortColumns).default('startedAt')),
  order: z.preprocess(emptyToUndefined, z.enum(['asc', 'desc']).default('desc')),
};
const fromBeforeTo = {
  check: (f: { from?: number | undefined; to?: number | undefined }) =>
    f.from === undefined || f.to === undefined || f.from <= f.to,
  params: { path: ['to'], message: '"To" must be after "From"' },
};

export const cdrSearchQuerySchema = z
  .object({
    ...cdrFilterShape,
    ...cdrSortShape,
    page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
    pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(200).default(25)),
  })
  .strict()
  .refine(fromBeforeTo.check, fromBeforeTo.params);
/** The CSV export takes the same filters and sort, and no paging: it streams every match. */
export const cdrExportQuerySchema = z
  .object({ ...cdrFilterShape, ...cdrSortShape })
  .strict()
  .refine(fromBeforeTo.check, fromBeforeTo.params);
export type CdrExportQuery = z.infer<typeof cdrExportQuerySchema>;
export type CdrFilters = Omit<CdrExportQuery, 'sort' | 'order'>;
export type CdrSearchQuery = z.infer<typeof cdrSearchQuerySchema>;
/** What the web app sends: every field optional, as strings or numbers. */
export type CdrSearchParams = Partial<Record<keyof CdrSearchQuery, string | number>>;

export const cdrRecordSchema = z.object({
  /** The call ID: call-back works by this reference, never by the (possibly masked) digits. */
  id: z.number().int(),
  callUuid: z.string(),
  type: callTypeSchema,
  /** The service that placed or steered the call (`web_callback`…); null for agent calls. */
  service: z.string().nullable(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  durationS: z.number(),
  ringTimeS: z.number(),
  disposition: z.enum(['answered', 'unanswered', 'busy', 'failed']).nullable(),
  /** The disposition code the agent picked at wrap-up, and their note. */
  wrapupCode: z.string().nullable(),
  wrapupNote: z.string().nullable(),
  customerNumber: z.string().nullable(),
  customerId: z.number().nullable(),
  customerName: z.string().nullable(),
  queueId: z.number().nullable(),
  queueName: z.string().nullable(),
  agentUserId: z.number().nullable(),
  agentName: z.string().nullable(),
  hangupCause: z.string().nullable(),
  recordingId: z.number().nullable(),
  /** What a prepaid call cost its subscriber: the sum of its rated legs; null when not rated. */
  cost: z.string().nullable(),
  costCurrency: z.string().nullable(),
});
export type CdrRecord = z.infer<typeof cdrRecordSchema>;

export const cdrTotalsSchema = z.object({
  count: z.number(),
  answered: z.number(),
  /** Ended calls that were not answered (unanswered, busy, failed); calls in progress are in neither. */
  notAnswered: z.number(),
  totalDurationS: z.number(),
});
export type CdrTotals = z.infer<typeof cdrTotalsSchema>;

/** How many of the matching calls carry each disposition (wrap-up) code; calls without one are left out. */
export const cdrWrapupCodeCountSchema = z.object({ code: z.string(), count: z.number() });
export type CdrWrapupCodeCount = z.infer<typeof cdrWrapupCodeCountSchema>;

export const cdrSearchResponseSchema = z.object({
  records: z.array(cdrRecordSchema),
  totals: cdrTotalsSchema,
  /** Most used first. */
  wrapupCodes: z.array(cdrWrapupCodeCountSchema),
  page: z.number(),
  pageSize: z.number(),
  /** True when the viewer sees masked numbers (number search is then not offered). */
  numbersMasked: z.boolean(),
});
export type CdrSearchResponse = z.infer<typeof cdrSearchResponseSchema>;

export const recentCdrResponseSchema = z.object({
  records: z.array(cdrRecordSchema),
  numbersMasked: z.boolean(),
});
export type RecentCdrResponse = z.infer<typeof recentCdrResponseSchema>;

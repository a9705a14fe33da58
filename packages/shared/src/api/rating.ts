import { z } from 'zod';
import { parseMicros } from '../money';
import { currencySchema } from './subscribers';

/** Rate tables, rates, plans and quotes. Prices are decimal text in the table's currency. */

const nameSchema = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(80, 'At most 80 characters');
const descriptionSchema = z
  .string()
  .trim()
  .max(200, 'At most 200 characters')
  .nullish()
  .transform((v) => (v ? v : null));

export const rateTableInputSchema = z
  .object({ name: nameSchema('Name'), currency: currencySchema, description: descriptionSchema })
  .strict();
export type RateTableInput = z.input<typeof rateTableInputSchema>;
export const rateTableUpdateSchema = z
  .object({ name: nameSchema('Name').optional(), description: descriptionSchema.optional() })
  .strict();

export const rateTableSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  currency: z.string(),
  description: z.string().nullable(),
  rateCount: z.number(),
  /** Plans that use this table (it cannot be deleted while any does). */
  plans: z.array(z.object({ id: z.number(), name: z.string() })),
  updatedAt: z.number(),
});
export type RateTable = z.infer<typeof rateTableSchema>;

/** A destination prefix: the digits of an E.164 number after `+`, country code first. */
export const ratePrefixSchema = z
  .string({ error: 'Enter a prefix' })
  .trim()
  .regex(/^\+?[0-9]{1,15}$/, 'A prefix is 1 to 15 digits, country code first (e.g. 44 or 447)')
  .transform((v) => v.replace(/^\+/, ''));

const priceSchema = (label: string) =>
  z.union([z.string(), z.number()], { error: `Enter ${label} such as 0.0125` }).transform((v, ctx) => {
    const parsed = parseMicros(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  });

const incrementSchema = z
  .number({ error: 'Seconds, a whole number' })
  .int('Whole seconds')
  .min(1, 'At least 1 s')
  .max(3600, 'At most 3600 s');

/** Epoch ms, a date (`2026-01-01`, midnight UTC) or an ISO date-time; empty or omitted = always. */
export const effectiveFromSchema = z
  .union([z.number(), z.string(), z.null()], { error: 'A date such as 2026-01-01' })
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === '') return 0;
    const t = parseEffectiveFrom(v);
    if (t === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'A date such as 2026-01-01, or a date and time in ISO format',
      });
      return z.NEVER;
    }
    return t;
  });

/** See effectiveFromSchema; null for text that is no date. */
export function parseEffectiveFrom(v: number | string): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < 8.64e15 ? v : null;
  const s = v.trim();
  if (s === '') return 0;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const t = Date.parse(`${s}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(s) ? t : null;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    const t = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
    return Number.isFinite(t) && t >= 0 ? t : null;
  }
  return null;
}

/** Epoch ms as the CSV and the forms show it: `2026-01-01` at midnight UTC, else ISO; empty for 0. */
export function formatEffectiveFrom(t: number): string {
  if (t === 0) return '';
  const iso = new Date(t).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

export const rateInputSchema = z
  .object({
    prefix: ratePrefixSchema,
    description: descriptionSchema,
    /** Price per minute in the table's currency (`"0.0125"`), up to 6 decimal places. */
    pricePerMinute: priceSchema('a price per minute'),
    /** Charged once when the call connects. */
    connectFee: priceSchema('a connect fee').default(0),
    /** Billing increments in seconds: the first, then each next (60/60, 30/6, 1/1). */
    initialIncrementS: incrementSchema.default(60),
    incrementS: incrementSchema.default(60),
    effectiveFrom: effectiveFromSchema,
  })
  .strict();
export type RateInput = z.input<typeof rateInputSchema>;

export const rateSchema = z.object({
  id: z.number().int(),
  prefix: z.string(),
  description: z.string().nullable(),
  pricePerMinute: z.string(),
  connectFee: z.string(),
  initialIncrementS: z.number(),
  incrementS: z.number(),
  effectiveFrom: z.number(),
});
export type Rate = z.infer<typeof rateSchema>;
export const ratesQuerySchema = z.object({
  prefix: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{0,15}$/, 'Digits only')
    .transform((v) => v.replace(/^\+/, ''))
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export const ratesResponseSchema = z.object({
  rates: z.array(rateSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
export type RatesResponse = z.infer<typeof ratesResponseSchema>;

export const rateImportModes = ['replace', 'add'] as const;
export const rateImportQuerySchema = z.object({
  /** replace: the file becomes the table's rates; add: its rows are added to the table's. */
  mode: z.enum(rateImportModes, { error: 'mode is replace or add' }).default('replace'),
});
export const rateImportRowErrorSchema = z.object({
  /** 1-based line in the file (the header is line 1). */
  line: z.number(),
  field: z.string().nullable(),
  message: z.string(),
});
export type RateImportRowError = z.infer<typeof rateImportRowErrorSchema>;
export const rateImportResponseSchema = z.object({
  imported: z.number(),
  mode: z.enum(rateImportModes),
  delimiter: z.enum([',', ';']),
});
export type RateImportResponse = z.infer<typeof rateImportResponseSchema>;

export const planInputSchema = z
  .object({
    name: nameSchema('Name'),
    rateTableId: z.number({ error: 'Choose a rate table' }).int().positive(),
    description: descriptionSchema,
  })
  .strict();
export type PlanInput = z.input<typeof planInputSchema>;
export const planUpdateSchema = planInputSchema.partial().strict();
export const planSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  rateTableId: z.number(),
  rateTableName: z.string(),
  currency: z.string(),
  description: z.string().nullable(),
  subscriberCount: z.number(),
});
export type Plan = z.infer<typeof planSchema>;

export const quoteQuerySchema = z.object({
  subscriberId: z.coerce
    .number({ error: 'subscriberId is a number' })
    .int('subscriberId is a whole number')
    .positive()
    .max(2 ** 31 - 1),
  number: z.string({ error: 'Enter the number to call' }).trim().min(1, 'Enter the number to call').max(40),
});

export const quoteRefusals = [
  'unknown_subscriber',
  'suspended',
  'invalid_destination',
  'destination_not_allowed',
  'no_rate',
  'insufficient_credit',
  'concurrent_limit',
  'daily_limit',
] as const;
export type QuoteRefusal = (typeof quoteRefusals)[number];

export const quotedRateSchema = z.object({
  rateTableId: z.number(),
  rateId: z.number(),
  prefix: z.string(),
  description: z.string().nullable(),
  pricePerMinute: z.string(),
  connectFee: z.string(),
  initialIncrementS: z.number(),
  incrementS: z.number(),
  effectiveFrom: z.number(),
  currency: z.string(),
});
export type QuotedRate = z.infer<typeof quotedRateSchema>;

export const quoteResponseSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    destination: z.string(),
    country: z.string().nullable(),
    rate: quotedRateSchema,
    available: z.string(),
    currency: z.string(),
    maxDurationS: z.number(),
    /** What a call to this number would reserve now. */
    reserveAmount: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    destination: z.string().nullable(),
    reason: z.enum(quoteRefusals),
    message: z.string(),
  }),
]);
export type QuoteResponse = z.infer<typeof quoteResponseSchema>;

import { z } from 'zod';
import { csvDelimiterSchema } from './csv';

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v === undefined ? undefined : v || null));

export const customerSortSchema = z.enum(['name', 'lastContact']);
export type CustomerSort = z.infer<typeof customerSortSchema>;

/** A phone as an agent sees it: `number` may be masked; dial and call back by `id`, never by digits. */
export const customerPhoneSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  label: z.string().nullable(),
});
export type CustomerPhone = z.infer<typeof customerPhoneSchema>;

export const customerSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  company: z.string().nullable(),
  email: z.string().nullable(),
  notes: z.string().nullable(),
  /** The customer's own time zone for calling hours; null: the number's country. */
  timeZone: z.string().nullable(),
  owner: z.object({ id: z.number().int(), displayName: z.string() }),
  phones: z.array(customerPhoneSchema),
  lastContactAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Whether this viewer sees numbers masked; an edit form then keeps existing phones by reference. */
  numbersMasked: z.boolean(),
});
export type Customer = z.infer<typeof customerSchema>;

export const customerCallSchema = z.object({
  id: z.number().int(),
  type: z.enum(['inbound', 'manual', 'auto']),
  startedAt: z.number(),
  durationS: z.number(),
  disposition: z.enum(['answered', 'unanswered', 'busy', 'failed']).nullable(),
  /** The disposition code the agent picked at wrap-up, and their note. */
  wrapupCode: z.string().nullable(),
  wrapupNote: z.string().nullable(),
  number: z.string().nullable(),
  agentName: z.string().nullable(),
  queueName: z.string().nullable(),
});
export type CustomerCall = z.infer<typeof customerCallSchema>;

export const customerDetailResponseSchema = z.object({
  customer: customerSchema,
  recentCalls: z.array(customerCallSchema),
});
export type CustomerDetailResponse = z.infer<typeof customerDetailResponseSchema>;

export const customerListQuerySchema = z.object({
  q: z.string().trim().max(100, 'q must be at most 100 characters').optional(),
  sort: customerSortSchema.default('name'),
  order: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int('page must be a whole number').min(1, 'page starts at 1').default(1),
  limit: z.coerce.number().int('limit must be a whole number').min(1).max(100).default(20),
});
export type CustomerListQuery = z.input<typeof customerListQuerySchema>;

export const customerListResponseSchema = z.object({
  customers: z.array(customerSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
});
export type CustomerListResponse = z.infer<typeof customerListResponseSchema>;

const phoneText = z
  .string({ error: 'Each phone number must be text' })
  .trim()
  .min(1, 'Enter a phone number or remove the row')
  .max(40, 'A phone number is at most 40 characters');

const customerFields = {
  name: z.string({ error: 'Enter the customer name' }).trim().min(1, 'Enter the customer name').max(200),
  company: optionalText(200, 'Company'),
  email: z
    .union([z.literal(''), z.email('Enter a valid email address').max(254)])
    .nullish()
    .transform((v) => (v === undefined ? undefined : v || null)),
  notes: optionalText(4000, 'Notes'),
  /** The customer's own time zone (IANA, `Europe/Paris`); calls to them keep to calling hours there. */
  timeZone: z
    .union([
      z.literal(''),
      z.string().trim().max(64).refine(isTimeZone, 'Enter a time zone such as Europe/Paris'),
    ])
    .nullish()
    .transform((v) => (v === undefined ? undefined : v || null)),
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A call by its CDR id or by the switch's call id (the `callId` of `call` live events), e.g. for the
 * screen pop of a queue call the agent is being offered.
 */
export const callReferenceSchema = z.union([
  z.coerce.number().int().positive(),
  z.uuid('callId must be a call id: a CDR id or the call’s UUID'),
]);

/**
 * `POST /api/customers`: every phone is validated and normalised to E.164 by the server. `{ callId }`
 * is the caller's number of that call, by reference, so an agent who sees numbers masked can save it.
 */
export const customerCreateSchema = z.object({
  ...customerFields,
  phones: z
    .array(z.union([phoneText, z.object({ callId: callReferenceSchema }).strict()]), {
      error: 'phones must be a list of phone numbers',
    })
    .min(1, 'Add at least one phone number')
    .max(10, 'A customer has at most 10 phone numbers'),
});
export type CustomerCreateRequest = z.input<typeof customerCreateSchema>;

/**
 * `PATCH /api/customers/:id`: `phones` replaces the list. A string is a new number; `{ id }` keeps an
 * existing phone as it is (how a masked number is kept without the client ever knowing its digits).
 */
export const customerUpdateSchema = z
  .object({
    name: customerFields.name.optional(),
    company: customerFields.company.optional(),
    email: customerFields.email.optional(),
    notes: customerFields.notes.optional(),
    timeZone: customerFields.timeZone.optional(),
    phones: z
      .array(z.union([phoneText, z.object({ id: z.number().int().positive() }).strict()]))
      .min(1, 'Add at least one phone number')
      .max(10, 'A customer has at most 10 phone numbers')
      .optional(),
  })
  .strict();
export type CustomerUpdateRequest = z.input<typeof customerUpdateSchema>;

export const customerResponseSchema = z.object({ customer: customerSchema });
export type CustomerResponse = z.infer<typeof customerResponseSchema>;

export const customerLookupQuerySchema = z
  .object({
    callId: callReferenceSchema.optional(),
    number: z.string().trim().min(1).max(40).optional(),
  })
  .refine((q) => (q.callId === undefined) !== (q.number === undefined), {
    message: 'Give either callId or number',
    path: ['callId'],
  });
export const customerLookupResponseSchema = z.object({
  number: z.string().nullable(),
  /** The call looked up (by `callId`): its CDR id and the queue it came through. */
  call: z
    .object({
      id: z.number().int(),
      callId: z.string(),
      queueName: z.string().nullable(),
      startedAt: z.number(),
    })
    .nullable()
    .optional(),
  customers: z.array(customerSchema),
});
export type CustomerLookupResponse = z.infer<typeof customerLookupResponseSchema>;

/** `POST /api/customers/import`: a CSV file, all customers or none (see docs/agent-desk.md). */
export const customerImportSchema = z
  .object({
    csv: z
      .string({ error: 'Paste or choose a CSV file' })
      .min(1, 'The CSV is empty')
      .max(4_000_000, 'The CSV is larger than 4 MB'),
    /** The file's one delimiter; detected from its header line when not given. */
    delimiter: csvDelimiterSchema.optional(),
  })
  .strict();
export type CustomerImportRequest = z.input<typeof customerImportSchema>;

export interface CustomerImportErrorDetails {
  rows: number;
  errors: { line: number; field: string; message: string }[];
}

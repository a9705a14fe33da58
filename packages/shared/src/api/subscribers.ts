import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { isKnownCurrency, parseDecimal } from '../money';
import { passwordSchema } from './admin';
import { subscriberSchema } from './auth';

/** Prepaid subscriber accounts: the portal's account pages and the admin's subscriber pages. */

export const subscriberStatuses = ['active', 'suspended'] as const;
export const subscriberStatusSchema = z.enum(subscriberStatuses, { error: 'Choose active or suspended' });
export type SubscriberStatus = z.infer<typeof subscriberStatusSchema>;

/** The IVR PIN: digits only, 4 to 10 of them. */
export const pinSchema = z
  .string({ error: 'Enter a PIN of 4 to 10 digits' })
  .regex(/^[0-9]*$/, 'A PIN is digits only (no letters or spaces)')
  .min(4, 'A PIN has at least 4 digits')
  .max(10, 'A PIN has at most 10 digits');

export const currencySchema = z
  .string({ error: 'Enter a currency code such as USD' })
  .trim()
  .toUpperCase()
  .refine(isKnownCurrency, 'Unknown currency: use an ISO 4217 code such as USD or EUR');

export const countryCodeSchema = z
  .string({ error: 'A two-letter country code such as US' })
  .trim()
  .toUpperCase()
  .refine(
    (v) => /^[A-Z]{2}$/.test(v) && isSupportedCountry(v),
    'Unknown country: use a code such as US or GB',
  );

/** The soft-phone number the subscriber signs in with: kept as digits only. */
export const accountNumberSchema = z
  .string({ error: 'Enter the account (soft-phone) number' })
  .trim()
  .regex(/^\+?[0-9 ()-]{3,32}$/, 'An account number is 3 to 20 digits')
  .transform((v) => v.replace(/\D+/g, ''))
  .refine((v) => v.length >= 3 && v.length <= 20, 'An account number is 3 to 20 digits');

export const subscriberLimitsSchema = z
  .object({
    /** Calls at once (open reservations); null = no limit. */
    maxConcurrentCalls: z
      .number({ error: 'A whole number or null' })
      .int('A whole number')
      .min(1, 'At least 1 (or no limit)')
      .max(1000, 'At most 1000')
      .nullable(),
    /** Calls started per UTC day; null = no limit. */
    maxCallsPerDay: z
      .number({ error: 'A whole number or null' })
      .int('A whole number')
      .min(1, 'At least 1 (or no limit)')
      .max(1_000_000, 'At most 1000000')
      .nullable(),
    /** ISO country codes the subscriber may call; null = every country. */
    allowedCountries: z
      .array(countryCodeSchema)
      .max(300)
      .nullable()
      .transform((v) => (v ? [...new Set(v)].sort() : null)),
  })
  .strict();
export type SubscriberLimits = z.infer<typeof subscriberLimitsSchema>;
export const noLimits: SubscriberLimits = {
  maxConcurrentCalls: null,
  maxCallsPerDay: null,
  allowedCountries: null,
};

const displayNameSchema = z
  .string({ error: 'Display name is required' })
  .trim()
  .min(1, 'Display name is required')
  .max(100, 'At most 100 characters');

export const createSubscriberSchema = z
  .object({
    accountNumber: accountNumberSchema,
    displayName: displayNameSchema,
    password: passwordSchema,
    pin: pinSchema.nullish().transform((v) => v ?? null),
    currency: currencySchema.default('USD'),
    /** null: the default plan of the currency. */
    planId: z
      .number({ error: 'Choose a plan' })
      .int()
      .positive()
      .nullish()
      .transform((v) => v ?? null),
    status: subscriberStatusSchema.default('active'),
    limits: subscriberLimitsSchema.partial().default({}),
  })
  .strict();
export type CreateSubscriberInput = z.input<typeof createSubscriberSchema>;

export const updateSubscriberSchema = z
  .object({
    displayName: displayNameSchema.optional(),
    status: subscriberStatusSchema.optional(),
    planId: z.number({ error: 'Choose a plan' }).int().positive().optional(),
    limits: subscriberLimitsSchema.partial().optional(),
    /** Reset the portal password. */
    password: passwordSchema.optional(),
    /** Reset the IVR PIN; null removes it. */
    pin: pinSchema.nullable().optional(),
  })
  .strict();
export type UpdateSubscriberInput = z.input<typeof updateSubscriberSchema>;

/** An amount as text or a JSON number: checked here for shape and sign, by the server for its currency. */
export const amountSchema = z
  .union([z.string(), z.number()], { error: 'Enter an amount such as 10.00' })
  .superRefine((v, ctx) => {
    const parsed = parseDecimal(v, 6, 1e15);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    else if (parsed.value === 0) ctx.addIssue({ code: 'custom', message: 'The amount must be more than 0' });
  });

export const creditRequestSchema = z
  .object({
    amount: amountSchema,
    reason: z
      .string({ error: 'Give a reason' })
      .trim()
      .min(1, 'Give a reason')
      .max(200, 'At most 200 characters'),
    /** A top-up adds money; an adjustment corrects the balance either way (`direction`). */
    kind: z.enum(['top_up', 'adjustment'], { error: 'Choose top-up or adjustment' }).default('top_up'),
    direction: z.enum(['credit', 'debit'], { error: 'Choose credit or debit' }).default('credit'),
  })
  .strict()
  .refine((v) => v.kind === 'adjustment' || v.direction === 'credit', {
    path: ['direction'],
    message: 'A top-up always adds money; use an adjustment to take money off',
  });
export type CreditRequest = z.input<typeof creditRequestSchema>;

export const ledgerKinds = ['top_up', 'adjustment', 'call_debit', 'reservation', 'release'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

export const ledgerEntrySchema = z.object({
  id: z.number().int(),
  kind: z.enum(ledgerKinds),
  /** Change to the balance (negative for a debit), in the currency's units as text. */
  amount: z.string(),
  /** Change to the amount reserved by calls in progress. */
  held: z.string(),
  balanceAfter: z.string(),
  /** Balance minus what is reserved, after this entry. */
  availableAfter: z.string(),
  currency: z.string(),
  reason: z.string().nullable(),
  actor: z.object({ kind: z.string(), id: z.number().nullable(), name: z.string().nullable() }),
  reservationId: z.number().nullable(),
  callId: z.number().nullable(),
  createdAt: z.number(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export const ledgerResponseSchema = z.object({
  entries: z.array(ledgerEntrySchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
export type LedgerResponse = z.infer<typeof ledgerResponseSchema>;

export const pageQuerySchema = z.object({
  page: z.coerce.number({ error: 'A page number' }).int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number({ error: 'A page size' }).int().min(1).max(200).default(50),
});

export const callerIdSchema = z.object({ id: z.number().int(), number: z.string(), createdAt: z.number() });
export type CallerId = z.infer<typeof callerIdSchema>;
export const callerIdInputSchema = z
  .object({
    number: z
      .string({ error: 'Enter a phone number' })
      .trim()
      .min(3, 'Enter a phone number')
      .max(32, 'At most 32 characters'),
  })
  .strict();
export const callerIdsResponseSchema = z.object({ callerIds: z.array(callerIdSchema) });
export type CallerIdsResponse = z.infer<typeof callerIdsResponseSchema>;

export const changePinSchema = z
  .object({
    pin: pinSchema,
    /** The portal password, so a session left open cannot change the PIN. */
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password'),
  })
  .strict();
export type ChangePinInput = z.infer<typeof changePinSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password'),
    newPassword: passwordSchema,
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** The portal's and the admin's view of an account. `balance`/`currency` as in the sign-in answer. */
export const subscriberAccountSchema = subscriberSchema.extend({
  accountNumber: z.string(),
  displayName: z.string(),
  status: subscriberStatusSchema,
  /** Reserved by calls in progress. */
  reserved: z.string(),
  /** Balance minus reserved: what a new call may spend. */
  available: z.string(),
  balanceMinor: z.number(),
  availableMinor: z.number(),
  plan: z.object({ id: z.number(), name: z.string(), rateTableId: z.number() }).nullable(),
  limits: subscriberLimitsSchema,
  pinSet: z.boolean(),
  createdAt: z.number(),
});
export type SubscriberAccount = z.infer<typeof subscriberAccountSchema>;
export const portalAccountResponseSchema = z.object({ subscriber: subscriberAccountSchema });
export type PortalAccountResponse = z.infer<typeof portalAccountResponseSchema>;

export const adminSubscriberSchema = subscriberAccountSchema.extend({ callerIds: z.array(callerIdSchema) });
export type AdminSubscriber = z.infer<typeof adminSubscriberSchema>;
export const adminSubscribersQuerySchema = pageQuerySchema.extend({
  search: z.string().trim().max(100).optional(),
  status: subscriberStatusSchema.optional(),
});
export const adminSubscribersResponseSchema = z.object({
  subscribers: z.array(subscriberAccountSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
export type AdminSubscribersResponse = z.infer<typeof adminSubscribersResponseSchema>;

export const portalCallSchema = z.object({
  id: z.number().int(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  durationS: z.number(),
  callerNumber: z.string().nullable(),
  destination: z.string().nullable(),
  disposition: z.enum(['answered', 'unanswered', 'busy', 'failed']).nullable(),
  /** What the call cost the account, or null while it is in progress or was never rated. */
  cost: z.string().nullable(),
  currency: z.string(),
});
export type PortalCall = z.infer<typeof portalCallSchema>;
export const portalCallsResponseSchema = z.object({
  calls: z.array(portalCallSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
export type PortalCallsResponse = z.infer<typeof portalCallsResponseSchema>;

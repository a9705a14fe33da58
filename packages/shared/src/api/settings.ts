import { z } from 'zod';

export const numberMaskingSchema = z
  .object({
    mode: z.enum(['off', 'all', 'partial']),
    keepFirst: z.number().int().min(0).max(8),
    keepLast: z.number().int().min(0).max(8),
    exemptSupervisors: z.boolean(),
  })
  .strict();
export type NumberMasking = z.infer<typeof numberMaskingSchema>;

export const defaultNumberMasking: NumberMasking = {
  mode: 'off',
  keepFirst: 2,
  keepLast: 2,
  exemptSupervisors: true,
};

/** Prepaid calls: the warning before a call's reserved time runs out, and a cap on any call. */
export const ratingSettingsSchema = z
  .object({
    /** The warning prompt plays this long before the cut (0: no warning). */
    warnBeforeEndS: z.number().int('Whole seconds').min(0, 'At least 0 s').max(600, 'At most 600 s'),
    /** No call reserves more than this, however large the balance or free the destination. */
    maxCallDurationS: z.number().int('Whole seconds').min(60, 'At least 60 s').max(86_400, 'At most 86400 s'),
  })
  .strict();
export type RatingSettings = z.infer<typeof ratingSettingsSchema>;
export const defaultRatingSettings: RatingSettings = { warnBeforeEndS: 60, maxCallDurationS: 14_400 };

/**
 * The circuit breaker over all callback services: once the call backs of the last hour reach either
 * cap, new requests are refused (and administrators alerted) until the hour's total falls below it.
 * Minutes count every answered leg of a call back (the caller's and the destination's). Null: no cap.
 */
export const callbackBreakerSettingsSchema = z
  .object({
    maxMinutesPerHour: z
      .number()
      .int('Whole minutes')
      .min(1, 'At least 1 minute')
      .max(1_000_000, 'At most 1000000 minutes')
      .nullable(),
    maxCallsPerHour: z
      .number()
      .int('Whole calls')
      .min(1, 'At least 1 call')
      .max(1_000_000, 'At most 1000000 calls')
      .nullable(),
  })
  .strict();
export type CallbackBreakerSettings = z.infer<typeof callbackBreakerSettingsSchema>;
export const defaultCallbackBreakerSettings: CallbackBreakerSettings = {
  maxMinutesPerHour: null,
  maxCallsPerHour: null,
};

/**
 * The state an Offline agent is put in when they sign in to the desk or their phone registers:
 * Offline (they press Go idle to take calls), Idle, or Paused with one of the pause reasons.
 */
export const agentSignInSchema = z
  .object({
    status: z.enum(['logged_out', 'idle', 'paused']),
    reason: z.string().trim().min(1, 'Choose a pause reason').max(64).nullable(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.status === 'paused' && v.reason === null)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['reason'], message: 'Choose a pause reason' });
  })
  .transform((v) => ({ status: v.status, reason: v.status === 'paused' ? v.reason : null }));
export type AgentSignIn = z.infer<typeof agentSignInSchema>;
export const defaultAgentSignIn: AgentSignIn = { status: 'logged_out', reason: null };

export const settingsSchema = z
  .object({
    numberMasking: numberMaskingSchema,
    agentSignIn: agentSignInSchema,
    rating: ratingSettingsSchema,
    callbackBreaker: callbackBreakerSettingsSchema,
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
export const settingsUpdateSchema = settingsSchema.partial().strict();
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

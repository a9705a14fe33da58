import { z } from 'zod';
import { callLegStatusSchema } from './call-leg-status';

/**
 * Web callback: a subscriber starts, from the portal, a call the server places to them (leg A) and
 * then to a destination (leg B), bridged and rated. See docs/web-callback.md.
 */

/** A number as the portal asks for it: country calling code, area code (where used), number. */
export const phoneNumberPartsSchema = z
  .object({
    countryCode: z
      .string({ error: 'Enter the country code' })
      .trim()
      .transform((v) => v.replace(/^\+|^00/, ''))
      .pipe(z.string().regex(/^[1-9][0-9]{0,2}$/, 'A country code is 1 to 3 digits, such as 1 or 44')),
    areaCode: z
      .string()
      .trim()
      .regex(/^[0-9]{0,6}$/, 'An area code is digits only')
      .optional(),
    number: z
      .string({ error: 'Enter the number' })
      .trim()
      .transform((v) => v.replace(/[\s().-]+/g, ''))
      .pipe(z.string().regex(/^[0-9]{3,14}$/, 'Enter the number as 3 to 14 digits')),
  })
  .strict();
export type PhoneNumberParts = z.infer<typeof phoneNumberPartsSchema>;

export const callbackNumberResponseSchema = z.object({
  /** Null until the subscriber registers one. */
  callbackNumber: z
    .object({ countryCode: z.string(), areaCode: z.string(), number: z.string(), e164: z.string() })
    .nullable(),
});
export type CallbackNumberResponse = z.infer<typeof callbackNumberResponseSchema>;

export const startWebCallbackSchema = z
  .object({
    destination: phoneNumberPartsSchema,
    /** Leg A for this call only (Change Number, or the first number of "connect two"). */
    legA: phoneNumberPartsSchema.optional(),
  })
  .strict();
export type StartWebCallback = z.infer<typeof startWebCallbackSchema>;

export const webCallbackStatuses = ['calling_you', 'calling_destination', 'connected', 'ended'] as const;
export const webCallbackStatusSchema = z.enum(webCallbackStatuses);
export type WebCallbackStatus = z.infer<typeof webCallbackStatusSchema>;

export const webCallbackLegSchema = z.object({
  /** `a`: the subscriber's side; `b`: the destination. */
  side: z.enum(['a', 'b']),
  number: z.string(),
  status: callLegStatusSchema.nullable(),
  /** Why the leg ended, in the switch's words (`busy`, `no_answer`, `not_found`, `normal_clearing`…). */
  cause: z.string().nullable(),
  /** The cause in words for the subscriber. */
  causeText: z.string().nullable(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
});
export type WebCallbackLeg = z.infer<typeof webCallbackLegSchema>;

export const webCallbackSchema = z.object({
  id: z.number().int(),
  /** The call's UUID (what leg events carry as `callId`). */
  callId: z.string(),
  status: webCallbackStatusSchema,
  /** `callback`: leg A is the registered number; `one_off`: Change Number; `connect_two`: a number not the subscriber's. */
  mode: z.enum(['callback', 'one_off', 'connect_two']),
  legs: z.array(webCallbackLegSchema),
  createdAt: z.number(),
  /** When A and B were joined. */
  connectedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** Talk time, seconds (A and B joined). */
  durationS: z.number().int(),
  /** Cost charged, decimal in the account currency ("0.42"); null until settled. */
  cost: z.string().nullable(),
  currency: z.string(),
  /** How it ended, in words ("The number you called was busy"). */
  outcome: z.string().nullable(),
  /** The longest the call may last (the balance's limit), seconds; null before the destination is dialled. */
  maxDurationS: z.number().int().nullable(),
  /** Grows with every change while the call is live: of two copies, the higher is newer. */
  version: z.number().int(),
});
export type WebCallback = z.infer<typeof webCallbackSchema>;

export const webCallbacksResponseSchema = z.object({
  webCallbacks: z.array(webCallbackSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type WebCallbacksResponse = z.infer<typeof webCallbacksResponseSchema>;

export const webCallbackEventSchema = z.object({
  type: z.literal('web_callback'),
  webCallback: webCallbackSchema,
});

/** The service settings an administrator sets. */
export const webCallbackSettingsSchema = z
  .object({
    enabled: z.boolean(),
    /** Trunk id for both legs; null = the first trunk that is up. */
    trunkId: z.number().int().positive().nullable(),
    /** Leg A shows the destination's number (`destination`) or `legACallerId` (`fixed`). */
    legACallerIdPolicy: z.enum(['destination', 'fixed']),
    legACallerId: z.string().trim().max(32).nullable(),
    /** Leg B shows the subscriber's number (`subscriber`) or `legBCallerId` (`fixed`). */
    legBCallerIdPolicy: z.enum(['subscriber', 'fixed']),
    legBCallerId: z.string().trim().max(32).nullable(),
    legARingTimeoutS: z.number().int().min(5, 'At least 5 s').max(180, 'At most 180 s'),
    legBRingTimeoutS: z.number().int().min(5, 'At least 5 s').max(180, 'At most 180 s'),
    /** ISO country codes leg A and leg B may be in; empty = any country the account's rates allow. */
    allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/, 'Two-letter country codes such as US')).max(300),
    /** Leg A to a number that is not the subscriber's (registered or authorized caller ID). */
    allowConnectTwo: z.boolean(),
    maxPerMinutePerSubscriber: z.number().int().min(1).max(1000),
    maxPerMinutePerAddress: z.number().int().min(1).max(10_000),
    record: z.boolean(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.legACallerIdPolicy === 'fixed' && !s.legACallerId) {
      ctx.addIssue({ code: 'custom', path: ['legACallerId'], message: 'Enter the number leg A shows' });
    }
    if (s.legBCallerIdPolicy === 'fixed' && !s.legBCallerId) {
      ctx.addIssue({ code: 'custom', path: ['legBCallerId'], message: 'Enter the number leg B shows' });
    }
  });
export type WebCallbackSettings = z.infer<typeof webCallbackSettingsSchema>;

export const defaultWebCallbackSettings: WebCallbackSettings = {
  enabled: true,
  trunkId: null,
  legACallerIdPolicy: 'destination',
  legACallerId: null,
  legBCallerIdPolicy: 'subscriber',
  legBCallerId: null,
  legARingTimeoutS: 30,
  legBRingTimeoutS: 40,
  allowedCountries: [],
  allowConnectTwo: true,
  maxPerMinutePerSubscriber: 5,
  maxPerMinutePerAddress: 20,
  record: false,
};

/** The newer of two copies of a web callback (a live event and a fetch may cross): an ended one is final. */
export function newerWebCallback(a: WebCallback, b: WebCallback): WebCallback {
  if ((a.status === 'ended') !== (b.status === 'ended')) return a.status === 'ended' ? a : b;
  return b.version >= a.version ? b : a;
}

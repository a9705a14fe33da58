import { z } from 'zod';

/** How the switch answers the call to the access number (it is never charged). */
export const callbackTriggers = ['ring_then_busy', 'answer_prompt'] as const;
/** Whom the service calls back. */
export const callbackMethods = ['call_caller', 'call_authorized', 'call_number', 'call_extension'] as const;
/** What the caller must prove on the call back. */
export const callbackSecurityModes = ['none', 'service_password', 'pin'] as const;

const digits = (what: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[0-9]{${min},${max}}$`), `${what}: ${min} to ${max} digits`);

/**
 * A timing in seconds, to the millisecond (stored as whole milliseconds): fractions of a second are
 * allowed so a service can react as fast as the network does.
 */
const seconds = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what}: a number of seconds` })
    .min(min, `${what}: at least ${min} s`)
    .max(max, `${what}: at most ${max} s`);

const optionalLimit = z.number().int().min(1).max(100_000).nullable();

const fields = {
  name: z.string({ error: 'Name is required' }).trim().min(1, 'Name is required').max(80),
  enabled: z.boolean(),
  /** The access number (an inbound route to the service is created/kept for it when set). */
  accessNumber: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{3,20}$/, 'A number of 3 to 20 digits, optionally starting with +')
    .nullable(),
  trigger: z.enum(callbackTriggers),
  /** Seconds of ringing before the busy (ring_then_busy). */
  ringSeconds: seconds('Ring time', 0, 60),
  /** The prompt of answer_prompt. */
  triggerPrompt: z.string().trim().min(1).max(120).nullable(),
  delayS: seconds('Delay', 0, 600),
  method: z.enum(callbackMethods),
  /** call_number: the number called back (E.164). */
  number: z
    .string()
    .trim()
    .regex(/^\+[1-9][0-9]{6,14}$/, 'A number in E.164, e.g. +14155550132')
    .nullable(),
  /** call_extension: the extension called back. */
  extension: z
    .string()
    .trim()
    .regex(/^[0-9]{2,6}$/, '2 to 6 digits')
    .nullable(),
  trunkId: z.number().int().positive().nullable(),
  /** Caller ID shown on the call back (else the trunk's). */
  callerId: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{3,20}$/, 'A number')
    .nullable(),
  security: z.enum(callbackSecurityModes),
  /** Write-only: digits asked in service_password mode. Omit to keep, null to clear. */
  servicePassword: digits('Service password', 4, 10).nullable(),
  /** The account charged when the caller is not otherwise identified (fixed number, extension). */
  subscriberId: z.number().int().positive().nullable(),
  announceBalance: z.boolean(),
  /** `*` at the destination prompt plays the balance. */
  creditQuery: z.boolean(),
  firstDigitTimeoutS: seconds('First-digit timeout', 0.05, 60),
  interDigitTimeoutS: seconds('Inter-digit timeout', 0.05, 30),
  maxAttempts: z.number().int().min(1).max(10),
  disconnectSequence: z
    .string()
    .trim()
    .regex(/^[0-9*#]{2,6}$/, '2 to 6 keys of 0-9, * and #'),
  zeroCreditPrompt: z.string().trim().min(1).max(120).nullable(),
  /** Toll-fraud limits (null: no limit). */
  maxConcurrent: optionalLimit,
  maxPerHour: optionalLimit,
  subscriberMaxConcurrent: optionalLimit,
  subscriberMaxPerHour: optionalLimit,
  /** ISO 3166 alpha-2 codes the destination may be in (empty: any). */
  allowedCountries: z
    .array(
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2}$/, 'A country code, e.g. US'),
    )
    .max(250),
  /** Destinations refused whatever the rate (premium-rate numbers are refused anyway). */
  blockedPrefixes: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\+?[0-9]{1,15}$/, 'A prefix of digits'),
    )
    .max(200),
  /** SMS callback: shared secret of the webhook's HMAC, and where replies are posted. */
  smsSecret: z.string().min(16, 'At least 16 characters').max(200).nullable(),
  smsReplyUrl: z.url().nullable(),
};

export const callbackServiceInputSchema = z
  .object({
    name: fields.name,
    enabled: fields.enabled.default(true),
    accessNumber: fields.accessNumber.default(null),
    trigger: fields.trigger.default('ring_then_busy'),
    ringSeconds: fields.ringSeconds.default(2),
    triggerPrompt: fields.triggerPrompt.default(null),
    delayS: fields.delayS.default(3),
    method: fields.method.default('call_caller'),
    number: fields.number.default(null),
    extension: fields.extension.default(null),
    trunkId: fields.trunkId.default(null),
    callerId: fields.callerId.default(null),
    security: fields.security.default('pin'),
    servicePassword: fields.servicePassword.optional(),
    subscriberId: fields.subscriberId.default(null),
    announceBalance: fields.announceBalance.default(true),
    creditQuery: fields.creditQuery.default(true),
    firstDigitTimeoutS: fields.firstDigitTimeoutS.default(10),
    interDigitTimeoutS: fields.interDigitTimeoutS.default(5),
    maxAttempts: fields.maxAttempts.default(3),
    disconnectSequence: fields.disconnectSequence.default('#11'),
    zeroCreditPrompt: fields.zeroCreditPrompt.default(null),
    maxConcurrent: fields.maxConcurrent.default(null),
    maxPerHour: fields.maxPerHour.default(null),
    subscriberMaxConcurrent: fields.subscriberMaxConcurrent.default(null),
    subscriberMaxPerHour: fields.subscriberMaxPerHour.default(null),
    allowedCountries: fields.allowedCountries.default([]),
    blockedPrefixes: fields.blockedPrefixes.default([]),
    smsSecret: fields.smsSecret.default(null),
    smsReplyUrl: fields.smsReplyUrl.default(null),
  })
  .strict();
export type CallbackServiceInput = z.infer<typeof callbackServiceInputSchema>;

/** PUT takes any subset; what is left out stays as it is. */
export const callbackServiceUpdateSchema = z.object(fields).partial().strict();
export type CallbackServiceUpdate = z.infer<typeof callbackServiceUpdateSchema>;

export interface CallbackService {
  id: number;
  name: string;
  enabled: boolean;
  accessNumber: string | null;
  trigger: (typeof callbackTriggers)[number];
  ringSeconds: number;
  triggerPrompt: string | null;
  delayS: number;
  method: (typeof callbackMethods)[number];
  number: string | null;
  extension: string | null;
  trunkId: number | null;
  callerId: string | null;
  security: (typeof callbackSecurityModes)[number];
  hasServicePassword: boolean;
  subscriberId: number | null;
  announceBalance: boolean;
  creditQuery: boolean;
  firstDigitTimeoutS: number;
  interDigitTimeoutS: number;
  maxAttempts: number;
  disconnectSequence: string;
  zeroCreditPrompt: string | null;
  maxConcurrent: number | null;
  maxPerHour: number | null;
  subscriberMaxConcurrent: number | null;
  subscriberMaxPerHour: number | null;
  allowedCountries: string[];
  blockedPrefixes: string[];
  hasSmsSecret: boolean;
  smsReplyUrl: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One request for a call back (a trigger call or an SMS), kept for limits and the admin's log. */
export interface CallbackRequest {
  id: number;
  serviceId: number;
  source: 'call' | 'sms';
  callerNumber: string | null;
  subscriberId: number | null;
  status: 'refused' | 'scheduled' | 'calling' | 'done' | 'failed';
  reason: string | null;
  callId: number | null;
  createdAt: number;
}

/** Why the circuit breaker is open: the hour's callback minutes or call backs reached the cap. */
export const callbackBreakerReasons = ['minutes', 'calls'] as const;

/** The circuit breaker over all callback services, as `GET /api/admin/callback-services/breaker` reports it. */
export interface CallbackBreakerStatus {
  tripped: boolean;
  reason: (typeof callbackBreakerReasons)[number] | null;
  /** Talk minutes of call back legs in the last hour (both legs), to the hundredth. */
  minutesLastHour: number;
  /** Call backs accepted in the last hour, all services. */
  callsLastHour: number;
  maxMinutesPerHour: number | null;
  maxCallsPerHour: number | null;
  /** When this node last saw it trip (null when it is closed). */
  trippedAt: number | null;
}

/** The SMS callback commands (case-insensitive), in the order the help text and the portal list them. */
export const smsCallbackCommands = [
  { usage: 'CALL', description: 'call me back' },
  { usage: 'CALL <number>', description: 'call me back and connect me' },
  { usage: 'CONNECT <n1> <n2>', description: 'connect two numbers' },
  { usage: 'REG <PIN>', description: 'register this phone' },
  { usage: 'BAL', description: 'balance' },
  { usage: 'HELP', description: null },
] as const;

/** One SMS request for a call back (`CALL`, `CONNECT`) and what came of it, as the portal shows it. */
export interface PortalSmsRequest {
  id: number;
  createdAt: number;
  /** The number that sent the SMS. */
  from: string | null;
  /** The number called back (the sender, or CONNECT's first number). */
  callbackNumber: string | null;
  destination: string | null;
  status: CallbackRequest['status'];
  reason: string | null;
}

/** `GET /api/portal/sms-callback`: where to send the commands, which ones, and the latest requests. */
export interface PortalSmsCallbackResponse {
  /** Enabled services that take SMS at their access number. */
  services: Array<{ name: string; number: string; balanceQuery: boolean }>;
  commands: Array<{ usage: string; description: string | null }>;
  requests: PortalSmsRequest[];
}

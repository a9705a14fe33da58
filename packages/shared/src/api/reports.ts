import { z } from 'zod';
import { isValidTimeZone } from '../time';
import { legQualitySchema } from './call-quality';
import { queryTimeSchema } from './cdr';

/**
 * Statistics → Reports (docs/supervisor.md): figures from the CDR for a period, bucketed by hour or
 * by day in the viewer's time zone. Supervisors see the queues they are members of, administrators
 * every queue (and calls without one); agents are refused.
 */
export const reportBuckets = ['hour', 'day'] as const;
export type ReportBucket = (typeof reportBuckets)[number];

/** The longest period each bucket size may cover (hours of a month, days of a year). */
export const maxReportBuckets: Record<ReportBucket, number> = { hour: 24 * 31, day: 366 };

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const idParam = z.preprocess(
  emptyToUndefined,
  z.coerce
    .number({ error: 'Enter a whole number' })
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .optional(),
);

export const reportQuerySchema = z
  .object({
    from: queryTimeSchema,
    to: queryTimeSchema,
    bucket: z.preprocess(emptyToUndefined, z.enum(reportBuckets).default('day')),
    queueId: idParam,
    agentId: idParam,
    /** The viewer's IANA zone: where hours and days begin. */
    tz: z.preprocess(
      emptyToUndefined,
      z.string().max(64).refine(isValidTimeZone, 'Unknown time zone').default('UTC'),
    ),
    format: z.preprocess(emptyToUndefined, z.enum(['json', 'csv']).default('json')),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    path: ['to'],
    message: '"To" must be after "From"',
  });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/**
 * How a finished call ended: answered; abandoned (an inbound caller hung up before an agent
 * answered); no answer (nobody answered and the caller did not hang up: timeout, overflow to hangup,
 * an outbound call not picked up); busy; failed.
 */
export const callOutcomes = ['answered', 'abandoned', 'no_answer', 'busy', 'failed'] as const;
export type CallOutcome = (typeof callOutcomes)[number];
export const callOutcomeLabels: Record<CallOutcome, string> = {
  answered: 'Answered',
  abandoned: 'Abandoned',
  no_answer: 'No answer',
  busy: 'Busy',
  failed: 'Failed',
};

const bucketFields = {
  /** Start of the bucket (epoch ms). */
  start: z.number().int(),
  /** Its wall time in the viewer's zone, `YYYY-MM-DDTHH:mm`. */
  label: z.string(),
};

export const callsReportSchema = z.object({
  bucket: z.enum(reportBuckets),
  timeZone: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  buckets: z.array(
    z.object({
      ...bucketFields,
      answered: z.number().int(),
      abandoned: z.number().int(),
      no_answer: z.number().int(),
      busy: z.number().int(),
      failed: z.number().int(),
      /** Abandoned out of the inbound calls offered to a queue, percent; null: none offered. */
      abandonRate: z.number().nullable(),
    }),
  ),
  totals: z.object({
    answered: z.number().int(),
    abandoned: z.number().int(),
    no_answer: z.number().int(),
    busy: z.number().int(),
    failed: z.number().int(),
    offered: z.number().int(),
    abandonRate: z.number().nullable(),
  }),
});
export type CallsReport = z.infer<typeof callsReportSchema>;

const serviceLevelFigures = {
  offered: z.number().int(),
  answeredWithin: z.number().int(),
  /** Answered within the queue's threshold out of the offered, percent; null: none offered. */
  percent: z.number().nullable(),
};

export const serviceLevelReportSchema = z.object({
  bucket: z.enum(reportBuckets),
  timeZone: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  /** Bucket starts and labels, shared by every queue's series. */
  buckets: z.array(z.object(bucketFields)),
  queues: z.array(
    z.object({
      queueId: z.number().int(),
      name: z.string(),
      thresholdSeconds: z.number().int(),
      /** The queue's service-level target, percent (the chart's target line). */
      targetPercent: z.number().int(),
      /** One entry per bucket, in the order of `buckets`. */
      series: z.array(z.object(serviceLevelFigures)),
      total: z.object(serviceLevelFigures),
    }),
  ),
});
export type ServiceLevelReport = z.infer<typeof serviceLevelReportSchema>;

export const agentReportSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  timeZone: z.string(),
  agents: z.array(
    z.object({
      agentUserId: z.number().int(),
      name: z.string(),
      answered: z.number().int(),
      talkSeconds: z.number().int(),
      /** The queue's wrap-up time per answered queue call (what the agent was held in wrap-up). */
      wrapupSeconds: z.number().int(),
      /** (talk + wrap-up) / answered; null: none answered. */
      averageHandleSeconds: z.number().nullable(),
      /** Time signed in during the period (`agent_sessions`), seconds. */
      signedInSeconds: z.number().int(),
      /** Of that, time Paused in every queue (`agent_pauses`), seconds. */
      pausedSeconds: z.number().int(),
      /** Available to handle calls: signed in − paused, seconds. */
      workedSeconds: z.number().int(),
      /** (talk + wrap-up) / worked, percent, at most 100; null: no worked time recorded. */
      occupancyPercent: z.number().nullable(),
    }),
  ),
});
export type AgentReport = z.infer<typeof agentReportSchema>;

/** `GET /api/cdr/:id/detail`: one call, every leg and step of it. */
export const callDetailSchema = z.object({
  id: z.number().int(),
  callUuid: z.string(),
  type: z.enum(['inbound', 'manual', 'auto']),
  service: z.string().nullable(),
  queueName: z.string().nullable(),
  agentName: z.string().nullable(),
  customerName: z.string().nullable(),
  customerNumber: z.string().nullable(),
  callerNumber: z.string().nullable(),
  calledNumber: z.string().nullable(),
  startedAt: z.number().int(),
  answeredAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  /** Start to answer (queue wait and ringing), seconds; null: not answered. */
  waitSeconds: z.number().nullable(),
  ringSeconds: z.number(),
  talkSeconds: z.number(),
  disposition: z.enum(['answered', 'unanswered', 'busy', 'failed']).nullable(),
  outcome: z.enum(callOutcomes).nullable(),
  hangupCause: z.string().nullable(),
  hangupSide: z.enum(['customer', 'agent', 'system']).nullable(),
  wrapupCode: z.string().nullable(),
  wrapupNote: z.string().nullable(),
  legs: z.array(
    z.object({
      id: z.number().int(),
      role: z.string(),
      peer: z.string().nullable(),
      startedAt: z.number().int(),
      answeredAt: z.number().int().nullable(),
      endedAt: z.number().int().nullable(),
      disposition: z.string().nullable(),
      hangupCause: z.string().nullable(),
    }),
  ),
  /** Transfers, consults, overflows… in the order they happened (as the switch wrote them). */
  steps: z.array(z.object({ at: z.number(), kind: z.string() }).catchall(z.unknown())),
  recording: z.object({ id: z.number().int(), durationMs: z.number().int(), status: z.string() }).nullable(),
  quality: z.array(z.object({ leg: z.string(), quality: legQualitySchema, mos: z.number() })),
  numbersMasked: z.boolean(),
});
export type CallDetail = z.infer<typeof callDetailSchema>;

import { z } from 'zod';
import { queueSummarySchema } from './agent-state';

/**
 * `GET /api/queues` for a supervisor or admin: the desk summary plus what the supervisor's queue
 * overview reads. Agents get `queueSummarySchema` items only.
 */
export const queueOverviewSchema = queueSummarySchema.extend({
  strategy: z.string(),
  members: z.number().int(),
  pausedMembers: z.number().int(),
  callsToday: z.number().int(),
  answeredToday: z.number().int(),
  longestWaitS: z.number().int(),
});
export type QueueOverview = z.infer<typeof queueOverviewSchema>;

export const queueListSchema = z.object({
  /** Start of the UTC day the `…Today` figures count from. */
  since: z.number().int(),
  queues: z.array(z.union([queueOverviewSchema, queueSummarySchema])),
});

/**
 * One call waiting in a queue (docs/agent-desk.md). `position` 1 is served next; the list is returned
 * latest arrival first (for display), i.e. in descending `position` unless it was reordered.
 */
export const waitingCallSchema = z.object({
  callId: z.string(),
  /** Masked per the viewer's number-masking setting. */
  callerNumber: z.string().nullable(),
  callerName: z.string().nullable(),
  waitingSince: z.number().int(),
  waitS: z.number().int(),
  position: z.number().int(),
  /** Agents being offered the call right now (for a callback placeholder: the agent kept for it). */
  ringing: z.array(z.number().int()),
  /**
   * A callback placeholder (queued callback, docs/dialer.md): nobody is on the line; the customer
   * is called back at `callerNumber` when it is served. `calling`: being dialled now. `attempts`:
   * dials made so far. Null for a caller on the line.
   */
  callback: z
    .object({
      id: z.number().int(),
      status: z.enum(['waiting', 'calling']),
      attempts: z.number().int(),
    })
    .nullable(),
});
export type WaitingCall = z.infer<typeof waitingCallSchema>;

export const waitingListSchema = z.object({
  queueId: z.number().int(),
  calls: z.array(waitingCallSchema),
});

/** `POST /api/queues/:id/waiting/:callId/position`: `up` = one place closer to being served, `top` = served next. */
export const waitingMoveSchema = z.object({ move: z.enum(['up', 'down', 'top']) }).strict();
export type WaitingMove = z.infer<typeof waitingMoveSchema>;

/** `POST /api/queues/:id/waiting/:callId/assign` (supervisor): offer this call to that agent now. */
export const waitingAssignSchema = z.object({ userId: z.number().int().positive() }).strict();

/** `GET /api/queues/:id/stats`. Days and months are counted in UTC. */
export const queueStatsSchema = z.object({
  queueId: z.number().int(),
  today: z.object({ answered: z.number().int(), notAnswered: z.number().int() }),
  month: z.object({ answered: z.number().int(), notAnswered: z.number().int() }),
  waitingNow: z.number().int(),
  longestWaitS: z.number().int(),
  serviceLevel: z.object({
    thresholdS: z.number().int(),
    /** Today's inbound queue calls answered within `thresholdS` of arriving. */
    answeredWithin: z.number().int(),
    offered: z.number().int(),
    /** answeredWithin / offered in percent, null when no call was offered today. */
    percent: z.number().nullable(),
  }),
});
export type QueueStats = z.infer<typeof queueStatsSchema>;

import { z } from 'zod';

/**
 * `GET /api/wallboard` and the `wallboard` live event (docs/supervisor.md): per queue and overall,
 * today's figures since 00:00 UTC from the CDR, and what is happening now.
 */
const agentsByStateSchema = z.object({
  idle: z.number().int(),
  on_call: z.number().int(),
  wrapup: z.number().int(),
  paused: z.number().int(),
  logged_out: z.number().int(),
});

export const wallboardFiguresSchema = z.object({
  waiting: z.number().int(),
  longestWaitSeconds: z.number().int(),
  /** When the longest-waiting caller arrived (lets a page count up between events); null: nobody waits. */
  oldestWaitingSince: z.number().int().nullable(),
  agents: agentsByStateSchema,
  answeredToday: z.number().int(),
  abandonedToday: z.number().int(),
  /** Answered within the queue's threshold out of those offered (answered + not answered); null: none offered. */
  serviceLevel: z.object({
    percent: z.number().nullable(),
    /** The queue's threshold; overall: null (each queue counts with its own). */
    thresholdSeconds: z.number().int().nullable(),
    /** The queue's target percent (its tile is green at or above it); overall: null. */
    targetPercent: z.number().int().nullable(),
    answeredWithin: z.number().int(),
    offered: z.number().int(),
  }),
  averageSpeedOfAnswerSeconds: z.number().nullable(),
  averageHandleTimeSeconds: z.number().nullable(),
});
export type WallboardFigures = z.infer<typeof wallboardFiguresSchema>;

export const wallboardSchema = z.object({
  since: z.number().int(),
  at: z.number().int(),
  queues: z.array(wallboardFiguresSchema.extend({ queueId: z.number().int(), name: z.string() })),
  overall: wallboardFiguresSchema,
});
export type Wallboard = z.infer<typeof wallboardSchema>;

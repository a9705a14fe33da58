import { z } from 'zod';

/**
 * One media leg as the switch measures it (RTP counters and the peer's RTCP reports). Counters are
 * cumulative over the leg's life: a client polling them takes differences for a recent window.
 */
export const legQualitySchema = z.object({
  packetsReceived: z.number().int().nonnegative(),
  packetsSent: z.number().int().nonnegative(),
  packetsLost: z.number().int().nonnegative(),
  /** Fraction of the expected packets from the peer that never arrived, 0..1, since the leg began. */
  lossRate: z.number().min(0).max(1),
  jitterMs: z.number().nonnegative(),
  rttMs: z.number().nonnegative().nullable(),
  /** What the peer reports about the switch's stream (its last RTCP report block). */
  remoteLossRate: z.number().min(0).max(1).nullable(),
  remoteJitterMs: z.number().nonnegative().nullable(),
});
export type LegQuality = z.infer<typeof legQualitySchema>;

/**
 * `GET /api/calls/current/quality`: the switch's measurements of the agent's call in progress —
 * the agent's own leg (browser ↔ switch) and the other party's leg (the customer's line, or the
 * other agent's). `call: null` when the agent has no connected call.
 */
export const currentCallQualitySchema = z.object({
  call: z
    .object({
      callId: z.string(),
      otherParty: z.enum(['customer', 'agent']),
      agentLeg: legQualitySchema.nullable(),
      otherLeg: legQualitySchema.nullable(),
    })
    .nullable(),
});
export type CurrentCallQuality = z.infer<typeof currentCallQualitySchema>;

/**
 * `GET /api/cdr/:id/quality`: what the switch kept with the call when it ended (per leg: `customer`,
 * `caller`, `callee`); `legs` is empty for a call that had no media.
 */
export const recordedCallQualitySchema = z.object({
  cdrId: z.number().int(),
  legs: z.array(z.object({ leg: z.string(), quality: legQualitySchema })),
});
export type RecordedCallQuality = z.infer<typeof recordedCallQualitySchema>;

/**
 * The softphone's pre-call network check (like a preflight test): the browser opens a WebRTC leg to
 * the switch with `POST /api/softphone/network-check`, receives audio from it for a few seconds and
 * sends its own, then reads what the switch measured (`GET …/:id`) and ends it (`DELETE …/:id`).
 */
export const networkCheckStartSchema = z.object({ offer: z.string().min(10).max(20_000) }).strict();
export type NetworkCheckStart = z.infer<typeof networkCheckStartSchema>;
export const networkCheckStartedSchema = z.object({ id: z.string(), answer: z.string() });
export type NetworkCheckStarted = z.infer<typeof networkCheckStartedSchema>;
export const networkCheckResultSchema = z.object({ switchReceived: legQualitySchema });
export type NetworkCheckResult = z.infer<typeof networkCheckResultSchema>;

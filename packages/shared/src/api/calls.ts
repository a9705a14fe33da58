import { z } from 'zod';
import { callLegStatusSchema } from './call-leg-status';

/**
 * Click-to-dial: the desk phone rings first, then the number is
 * dialled. The number can be given by reference (a customer's phone, or an earlier call) so it works
 * when numbers are masked for the agent.
 */
export const clickToDialSchema = z.union([
  z.object({ number: z.string().trim().min(2).max(32) }).strict(),
  z.object({ customerPhoneId: z.number().int().positive() }).strict(),
  /** A CDR row (`calls.id`), e.g. the call-back button of Recent calls. */
  z.object({ cdrId: z.number().int().positive() }).strict(),
  z.object({ dialTaskId: z.number().int().positive() }).strict(),
]);
export type ClickToDialRequest = z.infer<typeof clickToDialSchema>;

export const clickToDialResponseSchema = z.object({
  /** The call's ID as on the live stream's `call` events (and the hang-up route). */
  callId: z.string(),
  cdrId: z.number().int(),
});
export type ClickToDialResponse = z.infer<typeof clickToDialResponseSchema>;

export const callIdParamSchema = z.object({ id: z.string().uuid() });

/** One leg of a call in progress, as supervisors see it (`GET /api/calls/live`). */
export const liveCallLegSchema = z.object({
  id: z.string(),
  /** The number or extension the leg reaches (masked per viewer). */
  number: z.string().nullable(),
  role: z.string(),
  status: callLegStatusSchema,
  cause: z.string().nullable(),
});

export const liveCallSchema = z.object({
  callId: z.string(),
  /** `switched`: a call through the switch (B2BUA); `script`: a call the server places or steers. */
  kind: z.enum(['switched', 'script']),
  /** The service running a script call (`web_callback`, `callback`…). */
  service: z.string().nullable(),
  startedAt: z.number().int(),
  legs: z.array(liveCallLegSchema),
});
export type LiveCall = z.infer<typeof liveCallSchema>;

export const liveCallsSchema = z.object({ calls: z.array(liveCallSchema) });
export type LiveCalls = z.infer<typeof liveCallsSchema>;

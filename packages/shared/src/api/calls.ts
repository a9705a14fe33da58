import { z } from 'zod';

/**
 * Click-to-dial (seed 004, SIP-extension agents): the desk phone rings first, then the number is
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

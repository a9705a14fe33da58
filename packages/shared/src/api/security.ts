import { z } from 'zod';

/** A SIP source address banned by the per-source limits (GET /api/admin/sip-bans). */
export const sipBanSchema = z.object({
  address: z.string(),
  /** flood: too many new requests; auth_failures: too many failed authentications. */
  reason: z.enum(['flood', 'auth_failures']),
  since: z.number().int(),
  until: z.number().int(),
});
export type SipBan = z.infer<typeof sipBanSchema>;

export const sipBansResponseSchema = z.object({
  bans: z.array(sipBanSchema),
  limits: z.object({
    requests: z.number().int(),
    windowMs: z.number().int(),
    authFailures: z.number().int(),
    authWindowMs: z.number().int(),
    banMs: z.number().int(),
  }),
});
export type SipBansResponse = z.infer<typeof sipBansResponseSchema>;

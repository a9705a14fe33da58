import { z } from 'zod';

export const softphoneConfigSchema = z.object({
  extension: z.object({ number: z.string(), type: z.enum(['web', 'sip']) }),
  /** Present for web extensions: what sip.js needs to register over WebSocket. */
  web: z
    .object({
      webSocketUrl: z.string(),
      sipUri: z.string(),
      authorizationUser: z.string(),
      password: z.string(),
      displayName: z.string(),
      expiresAt: z.number().int(),
    })
    .nullable(),
  /** Whether the extension has a live registration now (for SIP extensions: the desk phone). */
  registration: z.object({ registered: z.boolean(), contacts: z.number().int() }),
});
export type SoftphoneConfig = z.infer<typeof softphoneConfigSchema>;

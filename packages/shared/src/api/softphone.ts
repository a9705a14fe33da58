import { z } from 'zod';

/** One STUN or TURN server, as RTCPeerConnection's `iceServers` takes it. */
export const iceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

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
      /** STUN/TURN servers for the calls' and the network check's ICE (TURN_URLS); empty: none. */
      iceServers: z.array(iceServerSchema),
      /**
       * When the TURN credentials in `iceServers` stop working (ms since the epoch; TURN_SECRET);
       * null: they do not expire. Renew them before that from `GET /api/softphone/ice-servers`.
       */
      iceServersExpireAt: z.number().int().nullable(),
    })
    .nullable(),
  /** Whether the extension has a live registration now (for SIP extensions: the desk phone). */
  registration: z.object({ registered: z.boolean(), contacts: z.number().int() }),
});
export type SoftphoneConfig = z.infer<typeof softphoneConfigSchema>;

/** `GET /api/softphone/ice-servers`: the caller's STUN/TURN servers with fresh TURN credentials. */
export const softphoneIceServersSchema = z.object({
  iceServers: z.array(iceServerSchema),
  /** When their TURN credentials stop working (ms since the epoch); null: they do not expire. */
  expiresAt: z.number().int().nullable(),
});
export type SoftphoneIceServers = z.infer<typeof softphoneIceServersSchema>;

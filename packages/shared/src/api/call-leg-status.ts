import { z } from 'zod';

/** A leg of a call the server places or steers, as the live stream and the APIs report it. */
export const callLegStatusSchema = z.enum([
  'dialing',
  'alerting',
  'early_media',
  'connected',
  'busy',
  'no_answer',
  'rejected',
  'failed',
  'ended',
]);
export type CallLegStatus = z.infer<typeof callLegStatusSchema>;

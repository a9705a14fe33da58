import { z } from 'zod';

/**
 * Live call monitoring by a supervisor (docs/supervisor.md): `listen` hears both sides and nobody
 * hears them, `whisper` is heard by the agent only, `barge` makes a three-way call.
 */
export const monitorModeSchema = z.enum(['listen', 'whisper', 'barge']);
export type MonitorMode = z.infer<typeof monitorModeSchema>;

/** `POST /api/calls/:id/monitor` (rings the supervisor's own extension) and `PATCH` (changes mode). */
export const monitorRequestSchema = z.object({ mode: monitorModeSchema }).strict();
export type MonitorRequest = z.infer<typeof monitorRequestSchema>;

export const monitorSessionSchema = z.object({
  callId: z.string(),
  mode: monitorModeSchema,
  state: z.enum(['ringing', 'active']),
  startedAt: z.number().int(),
});
export type MonitorSession = z.infer<typeof monitorSessionSchema>;

/** `GET /api/monitoring/calls`: the live calls the viewer may monitor, with their own session on each. */
export const monitorableCallSchema = z.object({
  callId: z.string(),
  agentUserId: z.number().int(),
  agentName: z.string(),
  queue: z.string().nullable(),
  answeredAt: z.number().int().nullable(),
  session: monitorSessionSchema.nullable(),
});
export type MonitorableCall = z.infer<typeof monitorableCallSchema>;

/** `GET`/`PUT /api/monitoring/settings` (admin). */
export const monitoringSettingsSchema = z
  .object({
    /** The agent sees that a supervisor whispers to them or barged in (never when only listened to). */
    agentIndicator: z.boolean(),
  })
  .strict();
export type MonitoringSettings = z.infer<typeof monitoringSettingsSchema>;
export const defaultMonitoringSettings: MonitoringSettings = { agentIndicator: true };

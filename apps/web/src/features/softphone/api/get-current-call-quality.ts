import { type CurrentCallQuality, currentCallQualitySchema } from '@switchboard/shared';
import { api } from '../../../lib/api-client';

/**
 * The switch's measurements of this agent's call in progress (its own leg and the other party's).
 * Polled together with the browser's getStats by the call bar's indicator, not through the query
 * cache: the two readings are one sample.
 */
export async function getCurrentCallQuality(): Promise<CurrentCallQuality> {
  return currentCallQualitySchema.parse(await api.get<unknown>('/api/calls/current/quality'));
}

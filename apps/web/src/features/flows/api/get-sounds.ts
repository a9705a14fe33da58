import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** An uploaded sound a Play or Menu component can play (named in a prompt as `sound:<id>`). */
export interface FlowSoundChoice {
  id: number;
  folder: string;
  name: string;
  durationMs: number;
  ref: string;
}

/** The sound library (administrators only: a supervisor's read-only view shows sounds by number). */
export function useFlowSounds(enabled: boolean) {
  return useQuery({
    queryKey: ['flows', 'sounds'],
    queryFn: async () => (await api.get<{ sounds: FlowSoundChoice[] }>('/api/admin/sounds')).sounds,
    enabled,
  });
}

import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

/** Under the live stream's `campaigns` prefix: a `campaign` event refreshes every campaign query. */
export const campaignKeys = {
  all: liveQueryKeys.campaigns,
  list: () => [...liveQueryKeys.campaigns, 'list'] as const,
  tasks: (id: number, params: object) => [...liveQueryKeys.campaigns, 'tasks', id, params] as const,
  next: (id: number) => [...liveQueryKeys.campaigns, 'next', id] as const,
  lastHour: (id: number) => [...liveQueryKeys.campaigns, 'last-hour', id] as const,
};

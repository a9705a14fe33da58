import type { CdrSearchResponse, CdrTotals } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';
import { ratePeriods } from '../lib/rate-periods';

/** Totals of the agent's own calls for the current month and yesterday, from the CDR search. */
export function useRateTotals(agentUserId: number, timeZone: string) {
  return useQuery({
    queryKey: [...liveQueryKeys.cdr, 'rates', agentUserId, timeZone],
    queryFn: async (): Promise<{ month: CdrTotals; yesterday: CdrTotals }> => {
      const { month, yesterday } = ratePeriods(Date.now(), timeZone);
      const totals = (p: { from: number; to: number }) =>
        api
          .get<CdrSearchResponse>(`/api/cdr?from=${p.from}&to=${p.to}&agentId=${agentUserId}&pageSize=1`)
          .then((r) => r.totals);
      const [m, y] = await Promise.all([totals(month), totals(yesterday)]);
      return { month: m, yesterday: y };
    },
    staleTime: 60_000,
  });
}

import type { VirtualHoldMode } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export type OverflowType = 'queue' | 'extension' | 'hangup';

export interface AdminQueue {
  id: number;
  name: string;
  strategy: string;
  ringTimeoutS: number;
  retryDelayS: number;
  wrapupS: number;
  maxNoAnswer: number;
  maxWaitS: number;
  maxLength: number;
  overflow: { type: OverflowType | null; target: string | null };
  holdMusic: string | null;
  announceIntervalS: number;
  serviceLevelS: number;
  serviceLevelTargetPercent: number;
  callerId: string | null;
  /** Queued callback (virtual hold). */
  virtualHold: {
    enabled: boolean;
    thresholdS: number;
    mode: VirtualHoldMode;
    maxAttempts: number;
    retryDelayS: number;
  };
  members: {
    userId: number;
    displayName: string;
    username: string;
    role: string;
    penalty: number;
    paused: boolean;
  }[];
}
interface AdminQueuesBody {
  queues: AdminQueue[];
  /** The music prompts a queue may name as its hold music. */
  holdMusic: string[];
}
export const queuesKey = ['admin', 'queues'] as const;
const fetchQueues = () => api.get<AdminQueuesBody>('/api/admin/queues');
export function useAdminQueues() {
  return useQuery({ queryKey: queuesKey, queryFn: fetchQueues, select: (b) => b.queues });
}
export function useHoldMusicChoices() {
  return useQuery({ queryKey: queuesKey, queryFn: fetchQueues, select: (b) => b.holdMusic });
}

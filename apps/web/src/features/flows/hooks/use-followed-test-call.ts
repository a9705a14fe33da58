import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { flowLiveKey } from '../api/get-flow-live';

export type FollowedTestCall = { callId: string; path: string[]; ended: string | null };

/**
 * The test call being followed: its id, the components it went through, and how it ended; each
 * step of the flow also refreshes the canvas counts.
 */
export function useFollowedTestCall(flowId: number) {
  const qc = useQueryClient();
  const [test, setTest] = useState<FollowedTestCall | null>(null);
  useLiveEvent('flow_step', (e) => {
    if (e.flowId !== flowId) return;
    void qc.invalidateQueries({ queryKey: flowLiveKey(flowId) });
    const componentId = e.componentId;
    // Functional updates: several steps can arrive before the next render.
    if (e.step === 'enter' && componentId)
      setTest((t) => (t && t.callId === e.callId ? { ...t, path: [...t.path, componentId] } : t));
    else if (e.step === 'end')
      setTest((t) => (t && t.callId === e.callId ? { ...t, ended: componentId } : t));
  });
  return { test, setTest };
}

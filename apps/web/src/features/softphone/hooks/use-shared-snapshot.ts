import { useEffect, useRef, useState } from 'react';
import type { SoftphoneSnapshot } from '../lib/engine-types';
import type { Ownership } from '../lib/tab-ownership';

const channelName = 'switchboard-softphone';
type ChannelMessage = { type: 'snapshot'; snapshot: SoftphoneSnapshot } | { type: 'hello' };

/**
 * Other tabs see the owner's state: the owning tab posts each snapshot over a BroadcastChannel (and
 * answers a newcomer's hello); this returns the owner's last snapshot as another tab received it.
 */
export function useSharedSnapshot(
  mode: 'none' | 'web' | 'sip',
  ownership: Ownership,
  local: SoftphoneSnapshot | null,
): SoftphoneSnapshot | null {
  const [remoteSnapshot, setRemoteSnapshot] = useState<SoftphoneSnapshot | null>(null);
  const channelRef = useRef<BroadcastChannel | null>(null);
  const localRef = useRef(local);
  localRef.current = local;
  useEffect(() => {
    if (mode !== 'web' || typeof BroadcastChannel === 'undefined') return;
    const ch = new BroadcastChannel(channelName);
    channelRef.current = ch;
    ch.onmessage = (e: MessageEvent<ChannelMessage>) => {
      if (e.data.type === 'snapshot') setRemoteSnapshot(e.data.snapshot);
      else if (e.data.type === 'hello' && localRef.current)
        ch.postMessage({ type: 'snapshot', snapshot: localRef.current } satisfies ChannelMessage);
    };
    return () => {
      ch.close();
      channelRef.current = null;
    };
  }, [mode]);
  useEffect(() => {
    if (ownership === 'owner' && local)
      channelRef.current?.postMessage({ type: 'snapshot', snapshot: local });
    if (ownership === 'elsewhere')
      channelRef.current?.postMessage({ type: 'hello' } satisfies ChannelMessage);
  }, [ownership, local]);
  return remoteSnapshot;
}

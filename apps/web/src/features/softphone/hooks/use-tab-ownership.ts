import { useEffect, useRef, useState } from 'react';
import { type Ownership, TabOwnership } from '../lib/tab-ownership';

/** One tab owns a web extension's softphone: this tab's part in that, and the lock to take it over. */
export function useTabOwnership(mode: 'none' | 'web' | 'sip') {
  const [ownership, setOwnership] = useState<Ownership>('pending');
  const ownershipRef = useRef<TabOwnership | null>(null);
  useEffect(() => {
    if (mode !== 'web') return;
    const locks = typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
    const t = new TabOwnership(locks);
    ownershipRef.current = t;
    t.subscribe(setOwnership);
    t.start();
    return () => {
      t.dispose();
      ownershipRef.current = null;
    };
  }, [mode]);
  return { ownership, ownershipRef };
}

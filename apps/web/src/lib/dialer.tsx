import { createContext, useContext } from 'react';

/** What a call-back refers to, so the switch can dial a masked number by reference. */
export type CallReference = { cdrId: number } | { callbackPlanId: number };

/**
 * Dialing from anywhere in the app (CDR call-back, callback-plan reminder, CRM) without the
 * features knowing about the softphone: the app provides it from the softphone feature.
 */
export interface Dialer {
  /** Whether `dial` can place a call now; otherwise `reason` says why (for a tooltip). */
  ready: boolean;
  reason: string | null;
  dial(number: string, reference?: CallReference): Promise<void>;
}

const notReady: Dialer = {
  ready: false,
  reason: 'The softphone is not available',
  dial: () => Promise.reject(new Error('The softphone is not available')),
};

export const DialerContext = createContext<Dialer>(notReady);

export function useDialer(): Dialer {
  return useContext(DialerContext);
}

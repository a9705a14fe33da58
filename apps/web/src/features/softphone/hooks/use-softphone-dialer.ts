import { useDeferredValue, useMemo, useRef } from 'react';
import { api } from '../../../lib/api-client';
import { type CallReference, clickToDialBody, type Dialer, referenceTarget } from '../../../lib/dialer';
import type { SoftphoneContextValue } from './use-softphone';

function referenceHeader(reference: CallReference | undefined): string[] {
  if (!reference || !('callbackPlanId' in reference)) return [];
  return [`X-Switchboard-Callback: plan=${reference.callbackPlanId}`];
}

/** Why the phone cannot dial now, or null when it can. */
function notReadyReason(value: SoftphoneContextValue): string | null {
  const { mode, deskPhone, ownership, snapshot } = value;
  return mode === 'none'
    ? 'You have no extension'
    : mode === 'sip'
      ? deskPhone === 'registered'
        ? null
        : 'Your desk phone is not registered'
      : ownership !== 'owner'
        ? 'The softphone is active in another tab'
        : snapshot?.registration.kind !== 'registered'
          ? 'The softphone is not registered'
          : snapshot.call && snapshot.call.state !== 'ended'
            ? 'Finish the current call first'
            : null;
}

/**
 * The dialer's users (call buttons all over the page) only need "ready, or why not": they get a
 * deferred copy of the reason and a dial function that does not change with every snapshot, so a
 * ringing call commits and paints the answer bar before they re-render (bench/desk/README.md).
 */
export function useSoftphoneDialer(value: SoftphoneContextValue): Dialer {
  const { mode } = value;
  const deferredReason = useDeferredValue(notReadyReason(value));
  const valueRef = useRef(value);
  valueRef.current = value;
  return useMemo<Dialer>(
    () => ({
      ready: deferredReason === null,
      reason: deferredReason,
      dial: async (number: string, reference?: CallReference) => {
        // Desk phone: the switch rings it first, then calls the customer.
        if (mode === 'sip') {
          await api.post('/api/calls/click-to-dial', clickToDialBody(number, reference));
          return;
        }
        // Web extension: by reference the switch looks the real number up itself.
        await valueRef.current.dial(referenceTarget(reference) ?? number, referenceHeader(reference), number);
      },
    }),
    [mode, deferredReason],
  );
}

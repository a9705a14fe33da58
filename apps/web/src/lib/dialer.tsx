import type { ClickToDialRequest } from '@switchboard/shared';
import { createContext, useContext } from 'react';

/**
 * What a call refers to, so the switch dials the real number from its own records: numbers
 * masked for the agent work, and the browser never needs the digits (a customer's phone, an
 * earlier call, a dial task; a callback plan dials by its phone reference when it has one).
 */
export type CallReference =
  | { customerPhoneId: number }
  | { cdrId: number }
  | { dialTaskId: number }
  | { callbackPlanId: number };

/** The user part a web extension dials for a reference (`ref-phone-<id>` …), or null. */
export function referenceTarget(reference: CallReference | undefined): string | null {
  if (!reference) return null;
  if ('customerPhoneId' in reference) return `ref-phone-${reference.customerPhoneId}`;
  if ('cdrId' in reference) return `ref-cdr-${reference.cdrId}`;
  if ('dialTaskId' in reference) return `ref-task-${reference.dialTaskId}`;
  return null;
}

/** The click-to-dial body for a desk-phone agent: by reference when there is one. */
export function clickToDialBody(number: string, reference?: CallReference): ClickToDialRequest {
  if (reference && 'customerPhoneId' in reference) return { customerPhoneId: reference.customerPhoneId };
  if (reference && 'cdrId' in reference) return { cdrId: reference.cdrId };
  if (reference && 'dialTaskId' in reference) return { dialTaskId: reference.dialTaskId };
  return { number };
}

/**
 * Dialing from anywhere in the app (CDR call-back, callback-plan reminder, CRM) without the
 * features knowing about the softphone: the app provides it from the softphone feature.
 */
export interface Dialer {
  /** Whether `dial` can place a call now; otherwise `reason` says why (for a tooltip). */
  ready: boolean;
  reason: string | null;
  /**
   * Calls `number`, or the record `reference` points at (then `number` may be masked digits,
   * shown to the agent only).
   */
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

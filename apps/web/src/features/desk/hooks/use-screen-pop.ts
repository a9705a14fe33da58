import {
  type ActiveCalls,
  type LiveEvent,
  type QueueSummary,
  type Role,
  roleAtLeast,
  type WaitingCall,
} from '@switchboard/shared';
import { useRef, useState } from 'react';
import { api } from '../../../lib/api-client';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';

type CallEvent = Extract<LiveEvent, { type: 'call' }>;

/** One window for every pop, reused call after call (the agent keeps it where they put it). */
export const customerWindowName = 'switchboard-customer';

/** The customer window of a call; with `planId`, the callback plan it dials, whose note it shows. */
export function customerWindowUrl(callId: string, planId?: number | null): string {
  const plan = planId ? `&planId=${planId}` : '';
  return `/desk/customer-window?callId=${encodeURIComponent(callId)}${plan}`;
}

/** Opens the customer window; null when the browser blocked the pop-up. */
export function openCustomerWindow(callId: string, planId?: number | null): Window | null {
  const win = window.open(
    customerWindowUrl(callId, planId),
    customerWindowName,
    'popup,width=880,height=820',
  );
  win?.focus();
  return win;
}

/**
 * Supervisors also receive every agent's call events, so for them the server says whether the call
 * is theirs: an offer rings them (the waiting list names who it rings), an answered call has them in it.
 */
async function isSupervisorsOwn(e: CallEvent, userId: number): Promise<boolean> {
  if (e.state === 'answered') {
    const current = await api.get<ActiveCalls>('/api/calls/current');
    return current.calls.some((c) => c.callId === e.callId);
  }
  const { queues } = await api.get<{ queues: QueueSummary[] }>('/api/queues');
  const queue = queues.find((q) => q.name === e.queue);
  if (!queue) return false;
  const list = await api.get<{ calls: WaitingCall[] }>(`/api/queues/${queue.id}/waiting`);
  return list.calls.some((c) => c.callId === e.callId && c.ringing.includes(userId));
}

/**
 * Inbound queue calls open the customer window (docs/agent-desk.md): when the queue call is offered to this agent, or answered if the offer was missed here
 * (another tab, a desk phone). Once per call. A pop-up opened from a live event is not a click, so
 * browsers may block it: then `blockedCallId` says which call's window the agent should open.
 */
export function useScreenPop(user: { id: number; role: Role }) {
  const handled = useRef(new Set<string>());
  const [blocked, setBlocked] = useState<{ callId: string; planId: number | null } | null>(null);
  const setBlockedCallId = (callId: string | null, planId: number | null = null) =>
    setBlocked(callId ? { callId, planId } : null);
  // The dialer rings this user for one of their callback plans (docs/dialer.md, "Screen pop"): the
  // plan's customer window with its note, once per call. Only the owner receives these events.
  useLiveEvent('callback_plan', (e) => {
    if (e.status !== 'calling' || !e.callId || handled.current.has(e.callId)) return;
    handled.current.add(e.callId);
    setBlockedCallId(openCustomerWindow(e.callId, e.planId) ? null : e.callId, e.planId);
  });
  useLiveEvent('call', (e) => {
    if (!e.queue || (e.state !== 'ringing' && e.state !== 'answered')) return;
    if (handled.current.has(e.callId)) return;
    const pop = () => {
      handled.current.add(e.callId);
      setBlockedCallId(openCustomerWindow(e.callId) ? null : e.callId);
    };
    // An agent only receives their own calls' events: pop at once.
    if (!roleAtLeast(user.role, 'supervisor')) return pop();
    void isSupervisorsOwn(e, user.id).then(
      (own) => {
        if (own && !handled.current.has(e.callId)) pop();
      },
      () => {},
    );
  });
  return {
    blockedCallId: blocked?.callId ?? null,
    /** From a click, which browsers allow. */
    openBlocked: () => {
      if (blocked && openCustomerWindow(blocked.callId, blocked.planId)) setBlocked(null);
    },
    dismiss: () => setBlocked(null),
  };
}

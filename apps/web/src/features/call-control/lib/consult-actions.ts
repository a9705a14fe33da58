import type { ActiveCall } from '@switchboard/shared';

/** Where the agent's consult stands: none yet, or the server's consult state. */
export type ConsultPhase = 'none' | NonNullable<ActiveCall['consult']>['state'];

/** One button: whether it can be pressed now and, if not, why (its tooltip and description). */
export interface Step {
  enabled: boolean;
  reason: string | null;
}

export interface ConsultActions {
  /** Call a supervisor (start a consult). */
  call: Step;
  /** Consult transfer: the customer joins the supervisor, the agent leaves. */
  transfer: Step;
  /** Three-way conference. */
  conference: Step;
  /** Drop the supervisor, back to the customer. */
  back: Step;
}

const ok: Step = { enabled: true, reason: null };
const no = (reason: string): Step => ({ enabled: false, reason });

/**
 * Which consult buttons work in which state (docs/agent-desk.md). Transfer before the supervisor
 * answers is refused here: the seed warns the old system lost the customer that way.
 */
export function consultActions(input: {
  callConnected: boolean;
  phase: ConsultPhase;
  target: string | null;
  /** A consult request is on its way to the server. */
  pending: boolean;
}): ConsultActions {
  const { callConnected, phase, pending } = input;
  const who = input.target ?? 'The supervisor';
  if (pending) {
    const wait = no('Wait for the previous step to finish');
    return { call: wait, transfer: wait, conference: wait, back: wait };
  }
  if (!callConnected) {
    const notYet = no('Answer the call first');
    return { call: notYet, transfer: notYet, conference: notYet, back: notYet };
  }
  switch (phase) {
    case 'none': {
      const first = no('Call a supervisor first');
      return { call: ok, transfer: first, conference: first, back: first };
    }
    case 'ringing': {
      const busy = no(`${who} has not answered yet`);
      return {
        call: no('A consult is already in progress'),
        transfer: no(`${who} has not answered yet: transferring now could lose the customer`),
        conference: busy,
        back: ok,
      };
    }
    case 'answered':
      return { call: no('A consult is already in progress'), transfer: ok, conference: ok, back: ok };
    case 'conference':
      return {
        call: no('A consult is already in progress'),
        transfer: ok,
        conference: no('The conference is already on'),
        // The switch keeps a conference together: the agent leaves it by transferring (or hanging up).
        back: no(
          `The conference is on: use Transfer to leave the customer with ${input.target ?? 'the supervisor'}`,
        ),
      };
  }
}

/** A `consult` live event as the panel keeps it: when this tab received it. */
export interface ReceivedConsultEvent {
  callId: string;
  state: 'ringing' | 'answered' | 'conference' | 'completed' | 'cancelled' | 'failed';
  target: string;
  reason: string | null;
  receivedAt: number;
}

export interface ConsultView {
  phase: ConsultPhase;
  target: string | null;
  /** The last consult ended without a transfer: the agent is back with the customer. */
  outcome: { state: 'failed' | 'cancelled'; target: string; reason: string | null } | null;
  /** The consult was completed: the call went to the consulted party and is no longer this agent's. */
  handedOn: boolean;
}

/**
 * The consult as the desk shows it: the live event when it is newer than the last fetch of
 * `/api/calls/current` (the stream is faster than a refetch), else what the server said.
 */
export function consultView(
  fromServer: ActiveCall['consult'],
  fetchedAt: number,
  last: ReceivedConsultEvent | null,
): ConsultView {
  let phase: ConsultPhase = fromServer?.state ?? 'none';
  let target = fromServer?.target ?? null;
  if (last && last.receivedAt > fetchedAt) {
    const live = last.state;
    phase = live === 'ringing' || live === 'answered' || live === 'conference' ? live : 'none';
    target = phase === 'none' ? null : last.target;
  }
  const ended = last && (last.state === 'failed' || last.state === 'cancelled') ? last : null;
  const outcome =
    phase === 'none' && ended
      ? { state: ended.state as 'failed' | 'cancelled', target: ended.target, reason: ended.reason }
      : null;
  const handedOn = !!last && last.state === 'completed' && last.receivedAt > fetchedAt;
  return { phase, target, outcome, handedOn };
}

/**
 * Whether a `consult` event is about a consult this viewer started. Supervisors receive every
 * agent's consult events, including the ones where they are the consulted party: those must not
 * turn their own desk into the consulting agent's. The server reports a consult in
 * `/api/calls/current` only to the agent who started it; `startedHere` covers the moment between
 * pressing Call and that list catching up.
 */
export function isOwnConsult(
  callId: string,
  calls: readonly Pick<ActiveCall, 'callId' | 'consult'>[],
  startedHere: ReadonlySet<string>,
): boolean {
  return startedHere.has(callId) || calls.some((c) => c.callId === callId && c.consult !== null);
}

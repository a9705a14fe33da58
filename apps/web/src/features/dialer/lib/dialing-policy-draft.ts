import type { CallbackDialingPolicy, CallbackDialingPolicyUpdate } from '@switchboard/shared';

/** The dialing policy form's fields, as typed (strings), before the server checks them. */
export interface DialingPolicyDraft {
  maxAttempts: string;
  busy: string;
  no_answer: string;
  failed: string;
  agent_unavailable: string;
  from: string;
  to: string;
  ringSeconds: string;
  ownerRingSeconds: string;
  callerId: string;
  /** Off: each node keeps its own configured caps. */
  paceHere: boolean;
  callsPerSecond: string;
  maxConcurrent: string;
}

export type RetryOutcome = keyof CallbackDialingPolicy['retryDelaySeconds'];

/** Caps shown in the pacing boxes when the policy sets none: the ones in force on this node. */
export function draftOf(
  policy: CallbackDialingPolicy,
  inForce: { callsPerSecond: number; maxConcurrent: number },
): DialingPolicyDraft {
  const pace = policy.pacing ?? inForce;
  return {
    maxAttempts: String(policy.maxAttempts),
    busy: String(policy.retryDelaySeconds.busy),
    no_answer: String(policy.retryDelaySeconds.no_answer),
    failed: String(policy.retryDelaySeconds.failed),
    agent_unavailable: String(policy.retryDelaySeconds.agent_unavailable),
    from: policy.callingHours.from,
    to: policy.callingHours.to,
    ringSeconds: String(policy.ringSeconds),
    ownerRingSeconds: String(policy.ownerRingSeconds),
    callerId: policy.callerId ?? '',
    paceHere: policy.pacing !== null,
    callsPerSecond: String(pace.callsPerSecond),
    maxConcurrent: String(pace.maxConcurrent),
  };
}

/** An empty box is sent as null so the server names the field, rather than silently meaning 0. */
const num = (v: string) => (v.trim() === '' ? null : Number(v)) as number;

/** The whole policy to save; the company prompt is not edited here and is kept as it is. */
export function updateOf(draft: DialingPolicyDraft, companyPrompt: string): CallbackDialingPolicyUpdate {
  return {
    maxAttempts: num(draft.maxAttempts),
    retryDelaySeconds: {
      busy: num(draft.busy),
      no_answer: num(draft.no_answer),
      failed: num(draft.failed),
      agent_unavailable: num(draft.agent_unavailable),
    },
    callingHours: { from: draft.from, to: draft.to },
    ringSeconds: num(draft.ringSeconds),
    ownerRingSeconds: num(draft.ownerRingSeconds),
    companyPrompt,
    callerId: draft.callerId.trim() || null,
    pacing: draft.paceHere
      ? { callsPerSecond: num(draft.callsPerSecond), maxConcurrent: num(draft.maxConcurrent) }
      : null,
  };
}

import type { QueueStrategy, VirtualHoldMode } from '../db/schema';

/**
 * The ACD's seams. The dispatcher decides who gets which waiting call; the switch (B2BUA) does the
 * ringing and bridging by implementing `AgentOfferPort` and `QueueCallPort`, and feeds calls in with
 * `QueueService.enqueue()` / `hangup()`.
 */

/** A caller waiting in a queue, as the switch hands it over. */
export interface QueueCall {
  /** The switch's call id (the calls.call_uuid of the customer call). */
  callId: string;
  callerNumber: string | null;
  callerName?: string | null;
  /**
   * Set for a callback placeholder: a caller who chose to be called back keeps this place (the
   * `queued_callbacks` row). Nobody is on the line; when it is served the dialer calls the number.
   */
  callback?: { id: number };
  /**
   * Set by a call flow's Queue component: the wired exits take the caller out of the queue and back
   * to the flow instead of the queue's own rule (`full` on arrival, `maxWait`, `noAgents`), and its
   * own maximum wait (s) replaces the queue's.
   */
  leave?: QueueLeave;
}

/** Why a caller with flow exits leaves a queue without an agent. */
export type QueueLeaveReason = 'max_wait' | 'no_agents';

export interface QueueLeave {
  full?: boolean;
  maxWait?: boolean;
  noAgents?: boolean;
  /** Replaces the queue's `maxWaitS` for this caller (0: no limit); undefined: the queue's. */
  maxWaitS?: number;
}

/**
 * Implemented by the queued-callback service: a placeholder is served. `userId` is reserved for
 * it until the dispatcher hears back (`callbackServed`, or the placeholder replaced by the live
 * call).
 */
export interface CallbackPort {
  serve(call: QueueCall, queueId: number, userId: number): void;
}

export interface VirtualHoldConfig {
  /** Offered only when the expected wait is at least this (0: always). */
  thresholdS: number;
  mode: VirtualHoldMode;
  maxAttempts: number;
  retryDelayS: number;
}

export type OfferResult = 'answered' | 'declined' | 'no_answer' | 'failed';

/** One agent being rung for one waiting call. */
export interface AgentOffer {
  call: QueueCall;
  queueId: number;
  userId: number;
  /** The extension to ring (registered when the offer is made). */
  extension: string;
  /** The dispatcher cancels the offer itself after this long (ring timeout). */
  ringTimeoutMs: number;
  /**
   * Call this the moment the agent answers, before bridging: true = the call is yours, bridge it;
   * false = the caller is gone, another agent took it, or the offer was cancelled — hang up the
   * agent's leg. Claiming is atomic, so two agents answering a ring-all call cannot both win.
   * (Resolving `offer()` with 'answered' without claiming claims then; a failed claim then gets
   * `cancel()`.)
   */
  claim(): boolean;
}

/** Implemented by the switch: ring an agent with a waiting call. */
export interface AgentOfferPort {
  /**
   * Ring the agent. Resolve when the agent answered (after `claim()`), declined (486/603), did not
   * answer, or the leg failed. A rejection counts as 'failed'. A promise that never settles is ended
   * by the dispatcher's ring timeout (`cancel`).
   */
  offer(offer: AgentOffer): Promise<OfferResult>;
  /**
   * The offer is over for the dispatcher: stop ringing (CANCEL) — or, when the agent already
   * answered but lost the claim, hang up the agent's leg. Must not throw; may be called after the
   * offer settled.
   */
  cancel(offer: AgentOffer): void;
}

export type OverflowTarget =
  | { type: 'queue'; queueId: number }
  | { type: 'extension'; extension: string }
  | { type: 'hangup' };

/** Implemented by the switch: what happens to a caller the queue gives up on. */
export interface QueueCallPort {
  /**
   * The call left the queue without an agent: `max_wait` (waited too long) or `full` (max length
   * reached on arrival). For `queue` targets the call is already waiting in that queue (this is
   * information: play its hold music); for `extension` ring it; for `hangup` play the message and
   * hang up.
   */
  overflow(call: QueueCall, fromQueueId: number, target: OverflowTarget, reason: 'max_wait' | 'full'): void;
  /**
   * A caller with flow exits (`QueueCall.leave`) left the queue by one of them: it goes back to its
   * call flow. The call is no longer waiting anywhere.
   */
  leave?(call: QueueCall, fromQueueId: number, reason: QueueLeaveReason): void;
}

export interface QueueConfig {
  id: number;
  name: string;
  strategy: QueueStrategy;
  ringTimeoutS: number;
  retryDelayS: number;
  wrapupS: number;
  /** Consecutive unanswered offers before the agent is paused with reason "missed"; 0 = never. */
  maxNoAnswer: number;
  /** 0 = no limit. */
  maxWaitS: number;
  overflow: OverflowTarget;
  /** 0 = no limit. */
  maxLength: number;
  serviceLevelS: number;
  /** Position / expected-wait announcement to waiting callers every this many seconds; 0 = off. */
  announceIntervalS: number;
  /** The music prompt waiting callers hear; null = the default (`hold-music`). */
  holdMusic: string | null;
  /** Queued callback (virtual hold); null = not offered. */
  virtualHold: VirtualHoldConfig | null;
}

export interface QueueMember {
  userId: number;
  penalty: number;
}

/** The dispatcher's view of the agents (implemented by AgentStateService over the AgentBoard). */
export interface AgentPool {
  /** Logged in, extension registered, not on a call, in wrap-up, ringing, or paused for this queue. */
  isAvailable(userId: number, queueId: number): boolean;
  extensionOf(userId: number): string | null;
  /** When the agent last became free (longest-idle). */
  idleSince(userId: number): number;
  /** Marks the agent as being rung for `callId`; false when they are not available after all. */
  reserve(userId: number, callId: string): boolean;
  release(userId: number, callId: string): void;
  /** The agent answered a call of this queue: on call now (this also ends their reservation). */
  answered(userId: number, queueId: number, callId: string): void;
  /**
   * Signed in and not paused for this queue (busy on a call or in wrap-up counts): the queue is
   * staffed while one member is. Without it, only available agents count.
   */
  isStaffing?(userId: number, queueId: number): boolean;
  /** `maxNoAnswer` consecutive misses: pause with reason "missed". */
  autoPause(userId: number, queueId: number): void;
}

/** Implemented by the queued-callback service; the switch calls it when a waiting caller takes the offer. */
export interface VirtualHoldPort {
  /**
   * The caller waiting as `call` in `queueId` asked to be called back at `number` (E.164): a
   * placeholder takes their place. False when the call no longer waits there (nothing kept).
   */
  accept(queueId: number, call: QueueCall, number: string): Promise<boolean>;
}

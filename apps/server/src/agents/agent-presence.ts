import type { PartyChange, PartyLeftReason } from '../switch/contracts';
import type { AgentBoard } from './agent-board';

/**
 * Agent presence derived from the calls' parties: the only writer of "on call", "wrap-up" and
 * "free" on the board. An agent is on a call while any call has them as a party; when they leave
 * the last one, a queue call that ended or was handed on gives the queue's wrap-up, anything else
 * (a consult they were dropped from, a call that never reached them) frees them at once.
 */
export class AgentPresence {
  /** User → the calls they are a party of (call id → the queue it came through). */
  private readonly callsOf = new Map<number, Map<string, number | null>>();

  constructor(private readonly board: AgentBoard) {}

  apply(e: PartyChange): void {
    if (e.change === 'joined') this.joined(e.userId, e.callId, e.queueId);
    else this.left(e.userId, e.callId, e.queueId, e.reason);
  }

  /** The calls a user is a party of now (their ids). */
  callsOfUser(userId: number): string[] {
    return [...(this.callsOf.get(userId)?.keys() ?? [])];
  }

  private joined(userId: number, callId: string, queueId: number | null): void {
    let calls = this.callsOf.get(userId);
    if (!calls) {
      calls = new Map();
      this.callsOf.set(userId, calls);
    }
    calls.set(callId, queueId);
    this.board.markOnCall(userId, { callId, queueId });
  }

  private left(userId: number, callId: string, queueId: number | null, reason: PartyLeftReason): void {
    const calls = this.callsOf.get(userId);
    // A leave for a call they were never announced in changes nothing.
    if (!calls?.delete(callId)) return;
    if (calls.size > 0) {
      // Still in another call (a consult target who was also on a call of their own): on that one.
      const [otherId, otherQueue] = [...calls.entries()].at(-1)!;
      this.board.markOnCall(userId, { callId: otherId, queueId: otherQueue });
      return;
    }
    this.callsOf.delete(userId);
    if (reason !== 'left' && queueId !== null) this.board.markWrapUp(userId);
    else this.board.markFree(userId);
  }
}

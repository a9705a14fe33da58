import { type B2buaCall, Party } from '../b2bua-call';
import { CallControlError } from '../call-control-error';
import type { CallControlContext } from './call-control-context';

/**
 * Attended transfer by REFER with Replaces (RFC 3891), from an agent's phone that holds the
 * customer's call and a call to the target through the switch.
 */
export class AttendedTransfer {
  constructor(private readonly ctx: CallControlContext) {}

  /**
   * The agent's phone REFERs the customer dialog to the dialog it has with `target` through the
   * switch (call `other`): the customer is bridged to that party, both agent legs go.
   */
  async attendedByReplaces(
    call: B2buaCall,
    agent: Party,
    other: B2buaCall,
    otherAgent: Party,
    beforeRelease?: () => Promise<void>,
  ): Promise<void> {
    this.ctx.connected(call, agent);
    this.ctx.mainParty(call, agent);
    if (other.state !== 'connected')
      throw new CallControlError(409, 'not_connected', 'The consult call is not connected');
    const customer = call.other(agent);
    const target = other.other(otherAgent);
    if (!customer.leg || !target.leg || !target.dialog)
      throw new CallControlError(409, 'not_connected', 'A party is not connected');
    await beforeRelease?.();
    if (call.finished || other.finished || !target.leg || !customer.leg) return;
    // Take the target's side out of the other call; that call ends without touching the target.
    const targetLeg = target.leg;
    other.released.add(targetLeg);
    other.replaceParty(target, new Party(target.role, target.number));
    if (other.media) {
      // Out of the other call's media entirely, or its close() would close the leg we keep.
      other.media.drop(targetLeg);
      if (other.media.a === targetLeg) other.media.a = otherAgent.leg!;
      if (other.media.b === targetLeg) other.media.b = null;
    }
    void other.updateLeg(target, { ended_at: Date.now(), disposition: 'answered', hangup_cause: 'replaced' });
    void other.hangup('agent', 'attended_transfer');

    const party = new Party(target.role, target.number, target.extension);
    party.dialog = target.dialog;
    party.leg = targetLeg;
    this.ctx.release(call, agent, 'transferred');
    call.replaceParty(agent, party);
    // Joined here before it leaves the other call, so its presence goes straight from one to the other.
    call.join(party);
    other.leave(target, 'transferred');
    this.ctx.link(call, customer.leg, targetLeg);
    call.attach(party);
    call.watchLeg(party);
    await this.ctx.openLeg(
      call,
      party,
      target.number ?? 'unknown',
      party.extension?.role === 'agent' ? 'destination' : 'supervisor',
      Date.now(),
    );
    call.publish('answered', undefined, [party]);
    this.ctx.chain(call, {
      at: Date.now(),
      kind: 'refer',
      by: agent.userId,
      to: target.number ?? 'unknown',
      outcome: 'completed',
    });
  }
}

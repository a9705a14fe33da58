import type { ConsultRequest } from '@switchboard/shared';
import { type B2buaCall, Party } from '../b2bua-call';
import { CallControlError } from '../call-control-error';
import type { BlindTransfer } from './blind-transfer';
import {
  type CallControlContext,
  type Consult,
  failureReason,
  hangUpAnswered,
  type RingPlan,
  type Viewer,
} from './call-control-context';
import type { TransferTargetResolver } from './transfer-targets';

/**
 * Consult: the customer waits on hold while the agent talks to a user or an outside number, then
 * completes the transfer, makes it a conference, or goes back to the customer. In a consult or a
 * conference one party hanging up does not end the call (`leave`).
 */
export class ConsultTransfer {
  constructor(
    private readonly ctx: CallControlContext,
    private readonly targets: TransferTargetResolver,
    private readonly transfer: BlindTransfer,
  ) {}

  async consult(callId: string, viewer: Viewer, to: ConsultRequest['to']): Promise<void> {
    const { call, agent } = this.ctx.resolve(callId, viewer);
    this.ctx.connected(call, agent);
    this.ctx.mainParty(call, agent);
    if (this.ctx.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'A consult is already in progress');
    const media = call.media!;
    if (media.inConference) throw new CallControlError(409, 'in_conference', 'The call is a conference');
    const customer = call.other(agent);
    if (!customer.leg) throw new CallControlError(409, 'not_connected', 'The other party is not connected');
    const plan = await this.targets.ringPlan(call, agent, to, 'agent');
    // Again after the lookup: a transfer or hang-up may have come in meanwhile.
    this.ctx.connected(call, agent);
    this.ctx.mainParty(call, agent);
    if (call.media!.inConference)
      throw new CallControlError(409, 'in_conference', 'The call is a conference');
    if (this.ctx.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'A consult is already in progress');
    const target = plan.party();
    const targetName = to.kind === 'user' ? (target.extension?.displayName ?? plan.label) : plan.label;
    const fork = this.ctx.forkFor(plan);
    const consult: Consult = {
      by: agent,
      customer,
      target,
      targetName,
      to: plan.label,
      state: 'ringing',
      fork,
      cancelled: false,
      orphaned: false,
      kind: 'consult',
    };
    this.ctx.consults.set(call.uuid, consult);
    // The customer hears hold music; the agent hears ringback until the target answers.
    if (media.isHeldBy(agent.leg!)) media.resume(agent.leg!);
    media.park(customer.leg);
    media.ringbackTo(agent.leg!);
    call.publish('held', undefined, [agent]);
    this.consultEvent(call, consult, 'ringing');
    void this.runConsult(call, consult, plan).catch((err) => {
      this.ctx.deps.logger.error({ err, call: call.uuid }, 'consult failed');
      void call.hangup('system', 'internal_error');
    });
  }

  private async runConsult(call: B2buaCall, consult: Consult, plan: RingPlan): Promise<void> {
    const out = await consult.fork!.start();
    consult.fork = null;
    if (call.finished || this.ctx.consults.get(call.uuid) !== consult) {
      hangUpAnswered(out);
      return;
    }
    if (out.kind === 'failed') {
      const reason = failureReason(out);
      this.ctx.chain(call, {
        at: Date.now(),
        kind: consult.kind,
        by: consult.by.userId,
        to: consult.to,
        outcome: consult.cancelled ? 'cancelled' : `failed_${reason}`,
      });
      if (consult.orphaned) {
        // The agent hung up while the target rang and the target failed: ring the agent back.
        this.ctx.consults.delete(call.uuid);
        const slot = [call.caller, call.callee].find((p) => p.role === 'agent' && p.userId === null);
        if (!slot) {
          await call.hangup('system', `consult_failed_${reason}`);
          return;
        }
        await this.transfer.recall(
          call,
          consult.customer,
          slot,
          consult.by,
          { kind: consult.kind, by: consult.by.userId, to: consult.to },
          'consult',
          reason,
        );
        return;
      }
      this.backToCustomer(
        call,
        consult,
        consult.cancelled ? 'cancelled' : 'failed',
        consult.cancelled ? null : reason,
      );
      return;
    }
    const target = consult.target;
    target.dialog = out.dialog;
    target.leg = out.leg;
    call.addThirdParty(target);
    call.join(target);
    call.attach(target);
    call.watchLeg(target);
    await this.ctx.openLeg(call, target, out.target.label, plan.legRole, Date.now());
    consult.state = 'answered';
    if (consult.orphaned) {
      await this.complete(call, consult);
      return;
    }
    call.media!.relink(consult.by.leg!, out.leg);
    this.consultEvent(call, consult, 'answered');
  }

  private consultOf(callId: string, viewer: Viewer): { call: B2buaCall; consult: Consult } {
    const { call, agent } = this.ctx.resolve(callId, viewer);
    const consult = this.ctx.consults.get(call.uuid);
    if (!consult || (consult.by !== agent && viewer.role === 'agent'))
      throw new CallControlError(409, 'no_consult', 'No consult in progress');
    return { call, consult };
  }

  async consultComplete(callId: string, viewer: Viewer): Promise<void> {
    const { call, consult } = this.consultOf(callId, viewer);
    if (consult.state === 'ringing')
      throw new CallControlError(409, 'consult_not_answered', 'The consulted party has not answered yet');
    await this.complete(call, consult);
  }

  /** The customer goes to the consulted party; the agent leaves (also: agent hangs up, REFER+Replaces). */
  async complete(call: B2buaCall, consult: Consult, byeFromAgent = false): Promise<void> {
    this.ctx.consults.delete(call.uuid);
    const { by, customer, target } = consult;
    call.removeThirdParty(target);
    if (!consult.orphaned) this.ctx.release(call, by, 'transferred', byeFromAgent);
    const slot = call.caller === by || call.callee === by ? by : null;
    if (slot) call.replaceParty(slot, target);
    else if (call.caller.userId === null && call.caller.role === 'agent')
      call.replaceParty(call.caller, target);
    else if (call.callee.userId === null && call.callee.role === 'agent')
      call.replaceParty(call.callee, target);
    this.ctx.link(call, customer.leg!, target.leg!);
    this.consultEvent(call, consult, 'completed', null, [by]);
    call.publish('answered', undefined, [target]);
    this.ctx.chain(call, {
      at: Date.now(),
      kind: consult.kind,
      by: by.userId,
      to: consult.to,
      outcome: consult.state === 'conference' ? 'agent_left_conference' : 'completed',
    });
  }

  async consultConference(callId: string, viewer: Viewer): Promise<void> {
    const { call, consult } = this.consultOf(callId, viewer);
    if (consult.state === 'ringing')
      throw new CallControlError(409, 'consult_not_answered', 'The consulted party has not answered yet');
    if (consult.state === 'conference') return;
    consult.state = 'conference';
    call.media!.conference([consult.customer.leg!, consult.by.leg!, consult.target.leg!]);
    this.consultEvent(call, consult, 'conference');
    call.publish('conference', undefined, [consult.by, consult.target]);
    this.ctx.chain(call, {
      at: Date.now(),
      kind: 'conference',
      by: consult.by.userId,
      to: consult.to,
      outcome: 'joined',
    });
  }

  async consultCancel(callId: string, viewer: Viewer): Promise<void> {
    const { call, consult } = this.consultOf(callId, viewer);
    if (consult.state === 'conference')
      throw new CallControlError(409, 'in_conference', 'The consult is a conference now');
    if (consult.state === 'ringing') {
      // The fork's outcome (487 to our CANCEL) brings the agent back to the customer.
      consult.cancelled = true;
      consult.fork?.cancel();
      return;
    }
    this.dropTarget(call, consult);
    this.ctx.chain(call, {
      at: Date.now(),
      kind: consult.kind,
      by: consult.by.userId,
      to: consult.to,
      outcome: 'cancelled',
    });
    this.backToCustomer(call, consult, 'cancelled', null);
  }

  /** The consulted party leaves (BYE sent by us, or theirs already received). */
  private dropTarget(call: B2buaCall, consult: Consult, byeReceived = false): void {
    const t = consult.target;
    call.removeThirdParty(t);
    if (t.leg) call.released.add(t.leg);
    if (t.dialog && !byeReceived && t.dialog.state !== 'terminated') {
      t.dialog.onTerminated = undefined;
      void t.dialog.bye().catch(() => {});
    }
    if (t.dialog) t.dialog.onTerminated = undefined;
    if (t.leg) call.media?.drop(t.leg);
    t.leg?.close();
    void call.updateLeg(t, {
      ended_at: Date.now(),
      disposition: 'answered',
      hangup_cause: byeReceived ? 'target_hangup' : 'consult_cancelled',
    });
    call.leave(t, 'left');
    call.publish('ended', 'answered', [t]);
  }

  private backToCustomer(
    call: B2buaCall,
    consult: Consult,
    state: 'cancelled' | 'failed',
    reason: string | null,
  ): void {
    this.ctx.consults.delete(call.uuid);
    if (call.finished) return;
    this.ctx.link(call, consult.customer.leg!, consult.by.leg!);
    this.consultEvent(call, consult, state, reason);
    call.publish('resumed', undefined, [consult.by]);
  }

  private consultEvent(
    call: B2buaCall,
    consult: Consult,
    state: 'ringing' | 'answered' | 'conference' | 'completed' | 'cancelled' | 'failed',
    reason: string | null = null,
    to: Party[] = [consult.by],
  ): void {
    const userIds = to.map((p) => p.userId).filter((u): u is number => u !== null);
    this.ctx.deps.events.publish(
      { type: 'consult', callId: call.uuid, state, target: consult.targetName, reason, at: Date.now() },
      { userIds, minRole: 'supervisor' },
    );
  }

  /** `p` leaves a call in consult/conference (`ack` answers its BYE; null: we send the BYE). */
  leave(call: B2buaCall, p: Party, ack: (() => void) | null): boolean {
    const consult = this.ctx.consults.get(call.uuid);
    if (!consult) return false;
    const byeReceived = ack !== null;
    if (p === consult.target) {
      ack?.();
      this.dropTarget(call, consult, byeReceived);
      this.ctx.chain(call, {
        at: Date.now(),
        kind: consult.kind,
        by: consult.by.userId,
        to: consult.to,
        outcome: 'target_hung_up',
      });
      if (consult.state === 'conference') {
        // The conference shrinks back to the customer and the agent.
        this.ctx.consults.delete(call.uuid);
        this.ctx.link(call, consult.customer.leg!, consult.by.leg!);
        this.consultEvent(call, consult, 'failed', 'hung_up');
      } else this.backToCustomer(call, consult, 'failed', 'hung_up');
      return true;
    }
    if (p === consult.by) {
      ack?.();
      if (consult.state === 'ringing') {
        // The agent gave up waiting: the target still rings for the customer (semi-attended).
        consult.orphaned = true;
        this.ctx.release(call, p, 'transferred', byeReceived);
        call.replaceParty(p, new Party('agent', null));
        return true;
      }
      // Answered or conference: the agent leaving hands the customer to the target.
      void this.complete(call, consult, byeReceived);
      return true;
    }
    return false;
  }

  finishing(call: B2buaCall): void {
    const consult = this.ctx.consults.get(call.uuid);
    if (!consult) return;
    this.ctx.consults.delete(call.uuid);
    consult.fork?.cancel();
    // The customer (or the system) ended the call: the consult ends with it, whatever its state.
    this.consultEvent(call, consult, 'failed', 'call_ended', [consult.by, consult.target]);
  }
}

import type { TransferTarget } from '@switchboard/shared';
import { type B2buaCall, Party } from '../b2bua-call';
import { CallControlError } from '../call-control-error';
import { callIdHeader, contactTarget } from '../dial-targets';
import type { DialOutcome } from '../invite-fork';
import {
  type CallControlContext,
  type ChainStep,
  failureReason,
  hangUpAnswered,
  type QueuePlan,
  type RingPlan,
  type Viewer,
} from './call-control-context';
import type { TransferTargetResolver } from './transfer-targets';

/**
 * Blind transfer: the agent lets go of the customer at once, who is rung through to a user, an
 * outside number or a queue; if the target fails, transfer recall rings the agent back.
 */
export class BlindTransfer {
  constructor(
    private readonly ctx: CallControlContext,
    private readonly targets: TransferTargetResolver,
  ) {}

  async blindTransfer(
    callId: string,
    viewer: Viewer,
    to: TransferTarget,
    kind: 'blind' | 'refer' = 'blind',
  ): Promise<void> {
    const { call, agent } = this.ctx.resolve(callId, viewer);
    await this.transferParty(call, agent, to, kind);
  }

  /** Sends the customer on (the agent is released at once); checks first, then acts. */
  async transferParty(
    call: B2buaCall,
    agent: Party,
    to: TransferTarget,
    kind: 'blind' | 'refer',
    onOutcome?: (outcome: 'answered' | 'failed', status: number, reason: string) => void,
    beforeRelease?: () => Promise<void>,
  ): Promise<void> {
    this.ctx.connected(call, agent);
    this.ctx.mainParty(call, agent);
    if (this.ctx.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'Finish the consult first');
    if (call.media!.inConference)
      throw new CallControlError(409, 'in_conference', 'The call is a conference');
    const customer = call.other(agent);
    if (!customer.leg || !customer.dialog)
      throw new CallControlError(409, 'not_connected', 'The other party is not connected');
    const plan =
      to.kind === 'queue'
        ? await this.targets.queuePlan(to.queueId)
        : await this.targets.ringPlan(call, agent, to, 'customer');
    // The checks again: another request may have changed the call while we looked the target up.
    this.ctx.connected(call, agent);
    this.ctx.mainParty(call, agent);
    if (this.ctx.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'Finish the consult first');
    const by = agent.userId;
    const toLabel = 'kind' in plan ? `queue ${plan.name}` : plan.label;
    // From here the call is ours: a concurrent hold, consult or transfer gets 409 transfer_in_progress.
    this.ctx.transferring.add(call.uuid);
    let delivering = false;
    try {
      await beforeRelease?.();
      if (call.finished || call.state !== 'connected') return;
      this.ctx.release(call, agent, 'transferred');
      const placeholder = new Party('agent', null);
      call.replaceParty(agent, placeholder);
      if ('kind' in plan) {
        await this.toQueue(call, customer, plan);
        this.ctx.chain(call, { at: Date.now(), kind, by, to: toLabel, outcome: 'queued' });
        onOutcome?.('answered', 200, 'OK');
        return;
      }
      call.media!.ringbackTo(customer.leg);
      delivering = true;
      void this.deliver(call, customer, placeholder, plan, agent, { kind, by, to: toLabel }, onOutcome)
        .catch(async (err) => {
          this.ctx.deps.logger.error({ err, call: call.uuid }, 'transfer failed');
          await call.hangup('system', 'internal_error');
        })
        .finally(() => this.ctx.transferring.delete(call.uuid));
    } finally {
      if (!delivering) this.ctx.transferring.delete(call.uuid);
    }
  }

  /**
   * Rings the target with the customer waiting; on answer the target takes the slot. If it fails,
   * transfer recall (as PBXs do): the transferring agent's phone rings with the customer; if that
   * fails too the call ends with a cause saying so — the customer is never silently dropped.
   */
  private async deliver(
    call: B2buaCall,
    customer: Party,
    slot: Party,
    plan: RingPlan,
    agent: Party,
    step: Omit<ChainStep, 'at' | 'outcome'>,
    onOutcome?: (outcome: 'answered' | 'failed', status: number, reason: string) => void,
  ): Promise<void> {
    // The target sees the call ringing for them, with the customer (their screen pop opens on it).
    const target = plan.party().userId;
    if (target !== null) {
      const users = this.ctx.offered.get(call.uuid) ?? new Set<number>();
      users.add(target);
      this.ctx.offered.set(call.uuid, users);
      call.publishOffer(target, customer.number);
    }
    let out: DialOutcome;
    try {
      out = await this.ctx.ring(call, plan);
    } finally {
      if (target !== null) {
        this.ctx.offered.get(call.uuid)?.delete(target);
        if (this.ctx.offered.get(call.uuid)?.size === 0) this.ctx.offered.delete(call.uuid);
      }
    }
    if (call.finished) {
      hangUpAnswered(out);
      return;
    }
    if (out.kind === 'answered') {
      onOutcome?.('answered', 200, 'OK');
      await this.ctx.seat(call, customer, slot, plan.party(), out, plan.legRole);
      this.ctx.chain(call, { ...step, at: Date.now(), outcome: 'answered' });
      return;
    }
    const reason = failureReason(out);
    onOutcome?.('failed', out.status, out.reason);
    this.ctx.chain(call, { ...step, at: Date.now(), outcome: `failed_${reason}` });
    await this.recall(call, customer, slot, agent, step, 'transfer', reason);
  }

  /**
   * Transfer recall: the agent who let go of the customer is rung back (From = the customer); if
   * that fails too, the call ends with a cause naming both failures.
   */
  async recall(
    call: B2buaCall,
    customer: Party,
    slot: Party,
    agent: Party,
    step: Omit<ChainStep, 'at' | 'outcome'>,
    what: 'transfer' | 'consult',
    reason: string,
  ): Promise<void> {
    const recall = agent.extension ? this.ctx.engine.router.contacts(agent.extension.number) : [];
    if (!agent.extension || recall.length === 0) {
      await call.hangup('system', `${what}_failed_${reason}`);
      return;
    }
    const info = agent.extension;
    const back = await this.ctx.ring(call, {
      targets: recall.map(contactTarget),
      from: await this.ctx.engine.presentTo(info, customer.number, 'anonymous'),
      to: `<sip:${info.number}@${this.ctx.engine.context.stack.host}>`,
      headers: [callIdHeader(call.uuid)],
      party: () => new Party('agent', info.number, info),
      label: info.number,
      legRole: 'destination',
    });
    if (call.finished) {
      hangUpAnswered(back);
      return;
    }
    if (back.kind === 'failed') {
      this.ctx.chain(call, {
        ...step,
        at: Date.now(),
        to: info.number,
        outcome: `recall_${failureReason(back)}`,
      });
      await call.hangup('system', `${what}_failed_${reason}_recall_${failureReason(back)}`);
      return;
    }
    await this.ctx.seat(call, customer, slot, new Party('agent', info.number, info), back, 'destination');
    this.ctx.chain(call, { ...step, at: Date.now(), to: info.number, outcome: 'recalled' });
  }

  /** Back to a queue's waiting list: the customer is the waiting caller, hearing the queue's music. */
  private async toQueue(call: B2buaCall, customer: Party, plan: QueuePlan): Promise<void> {
    call.waitInQueue(customer, plan.queueId, plan.name);
    // Like an overflow (queue-calls.ts), a queue call keeps the queue it arrived in on the CDR; the
    // step is in the transfer chain. A call that had no queue gets this one.
    await this.ctx.engine.context.records
      .queueIfUnset(call.cdrId, plan.queueId)
      .catch((err) => this.ctx.deps.logger.warn({ err }, 'queue of a transferred call not recorded'));
    const outcome = this.ctx.deps.queues.enqueue(plan.queueId, {
      callId: call.uuid,
      callerNumber: call.init.callerNumber,
      callerName: null,
    });
    if (outcome === 'no_such_queue') await call.hangup('system', 'transfer_queue_not_available');
    else this.ctx.queueCalls.waitAfterTransfer(call, plan.queueId);
  }
}

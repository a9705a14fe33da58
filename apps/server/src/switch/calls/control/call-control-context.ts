import type { PlaneLeg } from '@switchboard/media';
import type { NameAddr } from '@switchboard/sip';
import type { CallServices } from '../../services';
import type { B2buaCall, Party } from '../b2bua-call';
import { CallControlError } from '../call-control-error';
import type { CallEngine } from '../call-engine';
import { type DialOutcome, type DialTarget, InviteFork } from '../invite-fork';
import type { QueueCalls } from '../queue-calls';

export type ControlDeps = Pick<
  CallServices,
  'db' | 'events' | 'logger' | 'agents' | 'queues' | 'registrar' | 'settings'
>;

export interface Viewer {
  id: number;
  role: 'agent' | 'supervisor' | 'admin';
}

/** One step of `calls.transfer_chain` (every transfer lands in the CDR). */
export interface ChainStep {
  at: number;
  kind: 'blind' | 'consult' | 'conference' | 'refer';
  by: number | null;
  to: string;
  outcome: string;
}

export interface Consult {
  by: Party;
  customer: Party;
  target: Party;
  targetName: string;
  to: string;
  state: 'ringing' | 'answered' | 'conference';
  fork: InviteFork | null;
  /** Ended by the agent (cancel) while ringing: the fork's failure is not a `failed` consult. */
  cancelled: boolean;
  /** The agent hung up while the target rang: on answer the customer goes to the target. */
  orphaned: boolean;
  kind: ChainStep['kind'];
}

export function failureReason(o: Extract<DialOutcome, { kind: 'failed' }>): string {
  if (o.cause === 'no_answer') return 'no_answer';
  if (o.cause === 'cancelled') return 'cancelled';
  if (o.status === 486 || o.status === 600) return 'busy';
  if (o.status === 603) return 'rejected';
  if (o.status === 408 || o.status === 480 || o.status === 487) return 'no_answer';
  return 'failed';
}

/** Where a blind transfer rings, resolved (and checked) before anything changes. */
export interface RingPlan {
  targets: DialTarget[];
  from: NameAddr;
  to: string;
  headers: Array<[string, string]>;
  /** The party that takes the agent's place when it answers. */
  party: () => Party;
  label: string;
  legRole: 'supervisor' | 'destination';
}

export type QueuePlan = { kind: 'queue'; queueId: number; name: string };

/**
 * What every call-control action shares: the live calls (through the engine), who may act on
 * which call, the consults and transfers in progress, and the steps every action takes on a call
 * (seat a party, release one, ring a target, write the transfer chain).
 */
export class CallControlContext {
  readonly consults = new Map<string, Consult>();
  readonly transferring = new Set<string>();
  /** Users whose phone rings for a call being passed on to them (call id → user ids). */
  readonly offered = new Map<string, Set<number>>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    readonly deps: ControlDeps,
    readonly engine: CallEngine,
    readonly queueCalls: QueueCalls,
  ) {}

  /** The call and the agent party acting on it; anyone not in it (and not a supervisor) gets 404. */
  resolve(callId: string, viewer: Viewer): { call: B2buaCall; agent: Party } {
    const call = this.engine.calls.get(callId);
    if (call && !call.finished) {
      const own = [call.caller, call.callee, ...call.extra].find((p) => p.userId === viewer.id);
      if (own) return { call, agent: own };
      if (viewer.role !== 'agent') {
        const first = [call.caller, call.callee].find((p) => p.role === 'agent' && p.userId !== null);
        if (first) return { call, agent: first };
      }
    }
    throw new CallControlError(404, 'not_found', 'No such call of yours in progress');
  }

  /**
   * Whether the user is in the live call or their phone rings for it (a transfer to them): they may
   * look its caller up, as an agent offered a queue call may.
   */
  involves(callId: string, userId: number): boolean {
    const call = this.engine.calls.get(callId);
    if (!call || call.finished) return false;
    if ([call.caller, call.callee, ...call.extra].some((p) => p.userId === userId)) return true;
    return this.offered.get(callId)?.has(userId) ?? false;
  }

  connected(call: B2buaCall, agent: Party): void {
    if (call.state !== 'connected' || !call.media || !agent.leg)
      throw new CallControlError(409, 'not_connected', 'The call is not connected');
    if (this.transferring.has(call.uuid))
      throw new CallControlError(409, 'transfer_in_progress', 'The call is being transferred');
  }

  mainParty(call: B2buaCall, agent: Party): void {
    if (agent !== call.caller && agent !== call.callee)
      throw new CallControlError(409, 'not_in_call', 'Only the agent who has the call can do this');
  }

  /** The customer talks to `other` now; the recording (customer left channel) follows. */
  link(call: B2buaCall, customer: PlaneLeg, other: PlaneLeg): void {
    const media = call.media;
    if (!media) return;
    media.relink(customer, other);
    media.followRecording(customer);
  }

  /** The agent is out of the call: BYE (unless they sent it), leg closed, `transferred`, state. */
  release(call: B2buaCall, agent: Party, why: 'transferred', byeReceived = false): void {
    if (agent.leg) {
      call.released.add(agent.leg);
      call.media?.drop(agent.leg);
    }
    const d = agent.dialog;
    if (d) {
      d.onTerminated = undefined;
      d.onRequest = undefined;
      if (!byeReceived && d.state !== 'terminated') void d.bye().catch(() => {});
    }
    agent.leg?.close();
    void call.updateLeg(agent, { ended_at: Date.now(), disposition: 'answered', hangup_cause: why });
    call.publish(why, undefined, [agent]);
    call.leave(agent, why);
  }

  async openLeg(
    call: B2buaCall,
    p: Party,
    peer: string,
    role: 'supervisor' | 'destination',
    answeredAt: number,
  ): Promise<void> {
    try {
      p.legRowId = await this.engine.context.records.openLeg(call.cdrId, {
        legUuid: call.legUuid(role === 'supervisor' ? 's' : 'd'),
        role,
        peer,
        startedAt: answeredAt,
        answeredAt,
      });
    } catch (err) {
      this.deps.logger.warn({ err, call: call.uuid }, 'call leg row not written');
    }
  }

  /** The INVITE fork that rings a plan's targets (not started). */
  forkFor(plan: RingPlan): InviteFork {
    const ctx = this.engine.context;
    return new InviteFork(ctx.stack, ctx.media, {
      targets: plan.targets,
      from: plan.from,
      to: plan.to,
      headers: plan.headers,
      timeoutMs: ctx.ringTimeoutMs,
    });
  }

  /** Rings a plan's targets as the call's current fork (hung up with the call). */
  async ring(call: B2buaCall, plan: RingPlan): Promise<DialOutcome> {
    const fork = this.forkFor(plan);
    call.fork = fork;
    const out = await fork.start();
    if (call.fork === fork) call.fork = null;
    return out;
  }

  /** The answered target takes `slot`'s place: bridged to the customer, tracked, reported. */
  async seat(
    call: B2buaCall,
    customer: Party,
    slot: Party,
    party: Party,
    out: Extract<DialOutcome, { kind: 'answered' }>,
    legRole: 'supervisor' | 'destination',
  ): Promise<void> {
    party.dialog = out.dialog;
    party.leg = out.leg;
    call.replaceParty(slot, party);
    call.join(party);
    this.link(call, customer.leg!, out.leg);
    call.attach(party);
    call.watchLeg(party);
    const now = Date.now();
    await this.openLeg(call, party, out.target.label, legRole, now);
    call.publish('answered', undefined, [party]);
  }

  /** Appends to calls.transfer_chain; this call's steps are written in the order they happened. */
  chain(call: B2buaCall, step: ChainStep): void {
    const prev = this.chains.get(call.uuid) ?? Promise.resolve();
    const next = prev.then(() => this.engine.context.records.addTransfer(call.cdrId, step));
    const settled = next.catch((err) =>
      this.deps.logger.warn({ err, call: call.uuid }, 'transfer chain not written'),
    );
    this.chains.set(call.uuid, settled);
    void settled.then(() => {
      if (this.chains.get(call.uuid) === settled) this.chains.delete(call.uuid);
    });
  }

  /** Resolves once the chain writes queued so far are done (tests, shutdown). */
  async flush(callId: string): Promise<void> {
    await this.chains.get(callId);
  }
}

/** A leg answered after the call it was for went away: ends it at once. */
export function hangUpAnswered(out: DialOutcome): void {
  if (out.kind !== 'answered') return;
  void out.dialog.bye().catch(() => {});
  out.leg.close();
}

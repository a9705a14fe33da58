import type { PlaneLeg } from '@switchboard/media';
import type {
  ActiveCall,
  ConsultRequest,
  TransferTarget,
  TransferTargets,
  UserTarget,
} from '@switchboard/shared';
import type { IncomingRequest, NameAddr } from '@switchboard/sip';
import type { CallServices } from '../services';
import { type B2buaCall, type CallControlHooks, Party } from './b2bua-call';
import { CallControlError } from './call-control-error';
import type { CallEngine } from './call-engine';
import { callIdHeader, contactTarget, fromAddress, trunkTarget } from './dial-targets';
import { type DialOutcome, type DialTarget, InviteFork } from './invite-fork';
import type { QueueCalls } from './queue-calls';
import { ReferHandler } from './refer-handler';

export { CallControlError } from './call-control-error';

type ControlDeps = Pick<
  CallServices,
  'db' | 'events' | 'logger' | 'agents' | 'queues' | 'registrar' | 'settings'
>;

export interface Viewer {
  id: number;
  role: 'agent' | 'supervisor' | 'admin';
}

/** One step of `calls.transfer_chain` (issue 6: every transfer lands in the CDR). */
export interface ChainStep {
  at: number;
  kind: 'blind' | 'consult' | 'conference' | 'refer';
  by: number | null;
  to: string;
  outcome: string;
}

interface Consult {
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

/** Where a blind transfer rings, resolved (and checked) before anything changes. */
interface RingPlan {
  targets: DialTarget[];
  from: NameAddr;
  to: string;
  headers: Array<[string, string]>;
  /** The party that takes the agent's place when it answers. */
  party: () => Party;
  label: string;
  legRole: 'supervisor' | 'destination';
}

type QueuePlan = { kind: 'queue'; queueId: number; name: string };

/** Target states a transfer or consult is refused in (the lists show them unavailable). */
const refusedTargetStates: Record<string, string> = {
  paused: 'is paused',
  wrapup: 'is wrapping up a call',
  on_call: 'is on a call',
  // Their phone is still registered, but they signed out of the desk: not taking calls.
  logged_out: 'is signed out of the desk (not taking calls)',
};

function failureReason(o: Extract<DialOutcome, { kind: 'failed' }>): string {
  if (o.cause === 'no_answer') return 'no_answer';
  if (o.cause === 'cancelled') return 'cancelled';
  if (o.status === 486 || o.status === 600) return 'busy';
  if (o.status === 603) return 'rejected';
  if (o.status === 408 || o.status === 480 || o.status === 487) return 'no_answer';
  return 'failed';
}

/**
 * Agent call control (issue 6, seed 004 "Consult"/"Transfer"): hold, mute, DTMF, blind transfer
 * (with transfer recall), consult → complete / conference / cancel, and SIP REFER from the agent's
 * phone. Works on the engine's live B2buaCalls: the customer's party and media leg stay, the agent
 * side is replaced. Every step is written to `calls.transfer_chain` and `call_legs`, and published.
 */
export class CallControl implements CallControlHooks {
  private readonly consults = new Map<string, Consult>();
  private readonly transferring = new Set<string>();
  /** Users this module put on a call (transfer/consult targets, recalled agents): freed at its end. */
  private readonly joined = new Map<string, Set<number>>();
  private readonly chains = new Map<string, Promise<void>>();
  /** Users whose phone rings for a call this module is passing on to them (call id → user ids). */
  private readonly offered = new Map<string, Set<number>>();
  readonly refers: ReferHandler;

  constructor(
    private readonly deps: ControlDeps,
    readonly engine: CallEngine,
    private readonly queueCalls: QueueCalls,
  ) {
    this.refers = new ReferHandler(this);
  }

  install(): void {
    this.engine.control = this;
    this.engine.onCallAnswered((call) => {
      call.control = this;
      call.everAnswered = true;
      call.answeredAt ??= Date.now();
    });
    this.engine.onCallEnded((call) => this.ended(call));
  }

  // ---- who may act -----------------------------------------------------------------------------

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

  private connected(call: B2buaCall, agent: Party): void {
    if (call.state !== 'connected' || !call.media || !agent.leg)
      throw new CallControlError(409, 'not_connected', 'The call is not connected');
    if (this.transferring.has(call.uuid))
      throw new CallControlError(409, 'transfer_in_progress', 'The call is being transferred');
  }

  private mainParty(call: B2buaCall, agent: Party): void {
    if (agent !== call.caller && agent !== call.callee)
      throw new CallControlError(409, 'not_in_call', 'Only the agent who has the call can do this');
  }

  // ---- hold, mute, DTMF ------------------------------------------------------------------------

  hold(callId: string, viewer: Viewer, held: boolean): void {
    const { call, agent } = this.resolve(callId, viewer);
    this.connected(call, agent);
    this.mainParty(call, agent);
    if (this.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'The customer is on hold for a consult');
    const media = call.media!;
    if (media.inConference) throw new CallControlError(409, 'in_conference', 'The call is a conference');
    const leg = agent.leg!;
    if (held === media.isHeldBy(leg)) return;
    if (held) media.hold(leg);
    else media.resume(leg);
    call.publish(held ? 'held' : 'resumed');
  }

  mute(callId: string, viewer: Viewer, muted: boolean): void {
    const { call, agent } = this.resolve(callId, viewer);
    this.connected(call, agent);
    call.media!.mute(agent.leg!, muted);
  }

  async dtmf(callId: string, viewer: Viewer, digits: string): Promise<void> {
    const { call, agent } = this.resolve(callId, viewer);
    this.connected(call, agent);
    // In an answered consult the agent talks to the target (an IVR, say): the digits go there.
    const consult = this.consults.get(call.uuid);
    const to = consult?.by === agent && consult.state === 'answered' ? consult.target : call.other(agent);
    const leg = to.leg;
    if (!leg || leg.closed)
      throw new CallControlError(409, 'not_connected', 'The other party is not connected');
    // RFC 4733 §2.5: one event at a time, each with its own timestamp; sendDigit paces them.
    for (const d of digits.toUpperCase()) await leg.sendDigit(d);
  }

  // ---- the viewer's calls ----------------------------------------------------------------------

  async current(viewer: Viewer): Promise<ActiveCall[]> {
    const mask = await this.deps.settings.numberMaskerFor(viewer.role);
    const out: ActiveCall[] = [];
    for (const call of this.engine.calls.values()) {
      if (call.finished) continue;
      const me = [call.caller, call.callee, ...call.extra].find((p) => p.userId === viewer.id);
      if (!me) continue;
      const other = call.other(me);
      const consult = this.consults.get(call.uuid);
      const media = call.media;
      out.push({
        callId: call.uuid,
        state: call.state === 'connected' ? 'connected' : 'ringing',
        direction: call.direction,
        otherParty: mask(other.number),
        queue: call.queueName,
        startedAt: call.startedAt,
        answeredAt: call.answeredAt,
        held: !!(
          me.leg &&
          media &&
          (media.isHeldBy(me.leg) || (consult?.by === me && consult.state !== 'conference'))
        ),
        muted: !!(me.leg && media?.isMuted(me.leg)),
        consult: consult && consult.by === me ? { state: consult.state, target: consult.targetName } : null,
      });
    }
    return out;
  }

  // ---- transfer targets ------------------------------------------------------------------------

  private async userRows() {
    return this.deps.db
      .selectFrom('users')
      .leftJoin('extensions', 'extensions.user_id', 'users.id')
      .select(['users.id', 'users.display_name', 'users.username', 'users.role', 'extensions.number'])
      .where('users.role', 'in', ['agent', 'supervisor', 'admin'])
      .orderBy('users.display_name')
      .execute();
  }

  /** Online (registered, logged in) and free, or why not. */
  private availability(userId: number, extension: string | null, self: number): string | null {
    if (userId === self) return 'self';
    if (!extension || !this.deps.registrar.isRegistered(extension)) return 'offline';
    for (const call of this.engine.calls.values())
      if ([call.caller, call.callee, ...call.extra].some((p) => p.userId === userId)) return 'on_call';
    const rec = this.deps.agents.board.get(userId);
    if (!rec) return null;
    if (rec.status === 'idle') return null;
    return rec.status;
  }

  async transferTargets(callId: string, viewer: Viewer): Promise<TransferTargets> {
    const { call } = this.resolve(callId, viewer);
    const rows = await this.userRows();
    const members = await this.deps.db.selectFrom('queue_members').select(['queue_id', 'user_id']).execute();
    const queueIds =
      call.init.queueId != null
        ? new Set([call.init.queueId])
        : new Set(members.filter((m) => m.user_id === viewer.id).map((m) => m.queue_id));
    const inQueue = new Set(members.filter((m) => queueIds.has(m.queue_id)).map((m) => m.user_id));
    const result: TransferTargets = { supervisors: [], queueAgents: [], others: [], queues: [] };
    const seen = new Set<number>();
    for (const r of rows) {
      if (r.id === viewer.id || seen.has(r.id)) continue;
      seen.add(r.id);
      const reason = this.availability(r.id, r.number, viewer.id);
      const target: UserTarget = {
        userId: r.id,
        name: r.display_name || r.username,
        extension: r.number,
        role: r.role as UserTarget['role'],
        available: reason === null,
        unavailableReason: reason,
      };
      if (r.role !== 'agent') result.supervisors.push(target);
      else if (inQueue.has(r.id)) result.queueAgents.push(target);
      else result.others.push(target);
    }
    const queues = await this.deps.db.selectFrom('queues').select(['id', 'name']).orderBy('name').execute();
    for (const q of queues) {
      if (!this.deps.queues.dispatcher(q.id)) continue;
      result.queues.push({
        queueId: q.id,
        name: q.name,
        agentsAvailable: this.deps.queues.agentsAvailable(q.id),
        waiting: this.deps.queues.waitingCount(q.id),
      });
    }
    return result;
  }

  // ---- where a call can go ---------------------------------------------------------------------

  private async userTarget(userId: number, self: number | null) {
    if (userId === self)
      throw new CallControlError(409, 'target_unavailable', 'You cannot transfer to yourself');
    const row = await this.deps.db
      .selectFrom('extensions')
      .select('number')
      .where('user_id', '=', userId)
      .orderBy('id')
      .executeTakeFirst();
    const info = row ? await this.engine.router.extension(row.number) : null;
    const contacts = info ? this.engine.router.contacts(info.number) : [];
    if (!info || contacts.length === 0)
      throw new CallControlError(409, 'target_unavailable', 'That user is not online (no registered phone)');
    // The same rule as the target lists: someone paused, wrapping up or on a call said "not now".
    const busy = refusedTargetStates[this.availability(userId, info.number, self ?? -1) ?? ''];
    if (busy) throw new CallControlError(409, 'target_unavailable', `That user ${busy}`);
    return { info, targets: contacts.map(contactTarget) };
  }

  private outsideTarget(number: string, agent: Party) {
    const e164 = this.engine.router.e164(number);
    if (!e164) throw new CallControlError(400, 'invalid_number', 'to.number: not a valid phone number');
    const trunk = this.engine.router.trunk();
    const target = trunk ? trunkTarget(trunk, e164) : null;
    if (!trunk || !target)
      throw new CallControlError(409, 'no_trunk', 'No trunk is available for outside calls');
    const { from, headers } = this.engine.presentToCarrier(trunk, agent.extension);
    return { e164, target, from, headers };
  }

  /** The ring plan for a user or an outside number; throws (changing nothing) when impossible. */
  private async ringPlan(
    call: B2buaCall,
    agent: Party,
    to: Exclude<TransferTarget, { kind: 'queue' }>,
    presentAs: 'customer' | 'agent',
  ): Promise<RingPlan> {
    if (to.kind === 'user') {
      const { info, targets } = await this.userTarget(to.userId, agent.userId);
      const customer = call.other(agent);
      const from =
        presentAs === 'customer'
          ? await this.engine.presentTo(info, customer.number, 'anonymous')
          : fromAddress(this.engine.context.stack, agent.number ?? 'anonymous', agent.extension?.displayName);
      return {
        targets,
        from,
        to: `<sip:${info.number}@${this.engine.context.stack.host}>`,
        headers: [callIdHeader(call.uuid)],
        party: () => new Party('agent', info.number, info),
        label: `${info.number}${info.displayName ? ` ${info.displayName}` : ''}`,
        legRole: info.role === 'agent' ? 'destination' : 'supervisor',
      };
    }
    const out = this.outsideTarget(to.number, agent);
    return {
      targets: [out.target],
      from: out.from,
      to: `<${out.target.uri}>`,
      headers: out.headers,
      party: () => new Party('customer', out.e164),
      label: out.e164,
      legRole: 'destination',
    };
  }

  private async queuePlan(queueId: number): Promise<QueuePlan> {
    const d = this.deps.queues.dispatcher(queueId);
    if (!d) throw new CallControlError(409, 'target_unavailable', 'No such queue');
    return { kind: 'queue', queueId, name: d.queueConfig.name };
  }

  // ---- blind transfer --------------------------------------------------------------------------

  async blindTransfer(
    callId: string,
    viewer: Viewer,
    to: TransferTarget,
    kind: 'blind' | 'refer' = 'blind',
  ): Promise<void> {
    const { call, agent } = this.resolve(callId, viewer);
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
    this.connected(call, agent);
    this.mainParty(call, agent);
    if (this.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'Finish the consult first');
    if (call.media!.inConference)
      throw new CallControlError(409, 'in_conference', 'The call is a conference');
    const customer = call.other(agent);
    if (!customer.leg || !customer.dialog)
      throw new CallControlError(409, 'not_connected', 'The other party is not connected');
    const plan =
      to.kind === 'queue'
        ? await this.queuePlan(to.queueId)
        : await this.ringPlan(call, agent, to, 'customer');
    // The checks again: another request may have changed the call while we looked the target up.
    this.connected(call, agent);
    this.mainParty(call, agent);
    if (this.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'Finish the consult first');
    const by = agent.userId;
    const toLabel = 'kind' in plan ? `queue ${plan.name}` : plan.label;
    // From here the call is ours: a concurrent hold, consult or transfer gets 409 transfer_in_progress.
    this.transferring.add(call.uuid);
    let delivering = false;
    try {
      await beforeRelease?.();
      if (call.finished || call.state !== 'connected') return;
      this.release(call, agent, 'transferred');
      const placeholder = new Party('agent', null);
      this.replace(call, agent, placeholder);
      if ('kind' in plan) {
        await this.toQueue(call, customer, plan);
        this.chain(call, { at: Date.now(), kind, by, to: toLabel, outcome: 'queued' });
        onOutcome?.('answered', 200, 'OK');
        return;
      }
      call.media!.ringbackTo(customer.leg);
      delivering = true;
      void this.deliver(call, customer, placeholder, plan, agent, { kind, by, to: toLabel }, onOutcome)
        .catch(async (err) => {
          this.deps.logger.error({ err, call: call.uuid }, 'transfer failed');
          await call.hangup('system', 'internal_error');
        })
        .finally(() => this.transferring.delete(call.uuid));
    } finally {
      if (!delivering) this.transferring.delete(call.uuid);
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
      const users = this.offered.get(call.uuid) ?? new Set<number>();
      users.add(target);
      this.offered.set(call.uuid, users);
      call.publishOffer(target, customer.number);
    }
    let out: DialOutcome;
    try {
      out = await this.ring(call, plan);
    } finally {
      if (target !== null) {
        this.offered.get(call.uuid)?.delete(target);
        if (this.offered.get(call.uuid)?.size === 0) this.offered.delete(call.uuid);
      }
    }
    if (call.finished) {
      hangUpAnswered(out);
      return;
    }
    if (out.kind === 'answered') {
      onOutcome?.('answered', 200, 'OK');
      await this.seat(call, customer, slot, plan.party(), out, plan.legRole);
      this.chain(call, { ...step, at: Date.now(), outcome: 'answered' });
      return;
    }
    const reason = failureReason(out);
    onOutcome?.('failed', out.status, out.reason);
    this.chain(call, { ...step, at: Date.now(), outcome: `failed_${reason}` });
    await this.recall(call, customer, slot, agent, step, 'transfer', reason);
  }

  /**
   * Transfer recall: the agent who let go of the customer is rung back (From = the customer); if
   * that fails too, the call ends with a cause naming both failures.
   */
  private async recall(
    call: B2buaCall,
    customer: Party,
    slot: Party,
    agent: Party,
    step: Omit<ChainStep, 'at' | 'outcome'>,
    what: 'transfer' | 'consult',
    reason: string,
  ): Promise<void> {
    const recall = agent.extension ? this.engine.router.contacts(agent.extension.number) : [];
    if (!agent.extension || recall.length === 0) {
      await call.hangup('system', `${what}_failed_${reason}`);
      return;
    }
    const info = agent.extension;
    const back = await this.ring(call, {
      targets: recall.map(contactTarget),
      from: await this.engine.presentTo(info, customer.number, 'anonymous'),
      to: `<sip:${info.number}@${this.engine.context.stack.host}>`,
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
      this.chain(call, {
        ...step,
        at: Date.now(),
        to: info.number,
        outcome: `recall_${failureReason(back)}`,
      });
      await call.hangup('system', `${what}_failed_${reason}_recall_${failureReason(back)}`);
      return;
    }
    await this.seat(call, customer, slot, new Party('agent', info.number, info), back, 'destination');
    this.chain(call, { ...step, at: Date.now(), to: info.number, outcome: 'recalled' });
  }

  private async ring(call: B2buaCall, plan: RingPlan): Promise<DialOutcome> {
    const ctx = this.engine.context;
    const fork = new InviteFork(ctx.stack, ctx.media, {
      targets: plan.targets,
      from: plan.from,
      to: plan.to,
      headers: plan.headers,
      timeoutMs: ctx.ringTimeoutMs,
    });
    call.fork = fork;
    const out = await fork.start();
    if (call.fork === fork) call.fork = null;
    return out;
  }

  /** The answered target takes `slot`'s place: bridged to the customer, tracked, reported. */
  private async seat(
    call: B2buaCall,
    customer: Party,
    slot: Party,
    party: Party,
    out: Extract<DialOutcome, { kind: 'answered' }>,
    legRole: 'supervisor' | 'destination',
  ): Promise<void> {
    party.dialog = out.dialog;
    party.leg = out.leg;
    this.replace(call, slot, party);
    this.link(call, customer.leg!, out.leg);
    call.attach(party);
    call.watchLeg(party);
    const now = Date.now();
    await this.openLeg(call, party, out.target.label, legRole, now);
    this.onCall(call, party);
    call.publish('answered', undefined, [party]);
  }

  /** Back to a queue's waiting list: the customer is the waiting caller, hearing the queue's music. */
  private async toQueue(call: B2buaCall, customer: Party, plan: QueuePlan): Promise<void> {
    const media = call.media!;
    // connectAgent bridges the agent who answers to the session's first leg: the customer's.
    if (call.caller !== customer) {
      const agentSlot = call.caller;
      call.caller = customer;
      call.callee = agentSlot;
    }
    media.park(customer.leg!);
    media.a = customer.leg!;
    media.b = null;
    call.state = 'setup';
    call.init.queueId = plan.queueId;
    call.queueName = plan.name;
    // Like an overflow (queue-calls.ts), a queue call keeps the queue it arrived in on the CDR; the
    // step is in the transfer chain. A call that had no queue gets this one.
    await this.engine.context.records
      .queueIfUnset(call.cdrId, plan.queueId)
      .catch((err) => this.deps.logger.warn({ err }, 'queue of a transferred call not recorded'));
    const outcome = this.deps.queues.enqueue(plan.queueId, {
      callId: call.uuid,
      callerNumber: call.init.callerNumber,
      callerName: null,
    });
    if (outcome === 'no_such_queue') await call.hangup('system', 'transfer_queue_not_available');
    else this.queueCalls.waitAfterTransfer(call, plan.queueId);
  }

  // ---- consult ---------------------------------------------------------------------------------

  async consult(callId: string, viewer: Viewer, to: ConsultRequest['to']): Promise<void> {
    const { call, agent } = this.resolve(callId, viewer);
    this.connected(call, agent);
    this.mainParty(call, agent);
    if (this.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'A consult is already in progress');
    const media = call.media!;
    if (media.inConference) throw new CallControlError(409, 'in_conference', 'The call is a conference');
    const customer = call.other(agent);
    if (!customer.leg) throw new CallControlError(409, 'not_connected', 'The other party is not connected');
    const plan = await this.ringPlan(call, agent, to, 'agent');
    // Again after the lookup: a transfer or hang-up may have come in meanwhile.
    this.connected(call, agent);
    this.mainParty(call, agent);
    if (call.media!.inConference)
      throw new CallControlError(409, 'in_conference', 'The call is a conference');
    if (this.consults.has(call.uuid))
      throw new CallControlError(409, 'consult_in_progress', 'A consult is already in progress');
    const target = plan.party();
    const targetName = to.kind === 'user' ? (target.extension?.displayName ?? plan.label) : plan.label;
    const ctx = this.engine.context;
    const fork = new InviteFork(ctx.stack, ctx.media, {
      targets: plan.targets,
      from: plan.from,
      to: plan.to,
      headers: plan.headers,
      timeoutMs: ctx.ringTimeoutMs,
    });
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
    this.consults.set(call.uuid, consult);
    // The customer hears hold music; the agent hears ringback until the target answers.
    if (media.isHeldBy(agent.leg!)) media.resume(agent.leg!);
    media.park(customer.leg);
    media.ringbackTo(agent.leg!);
    call.publish('held', undefined, [agent]);
    this.consultEvent(call, consult, 'ringing');
    void this.runConsult(call, consult, plan).catch((err) => {
      this.deps.logger.error({ err, call: call.uuid }, 'consult failed');
      void call.hangup('system', 'internal_error');
    });
  }

  private async runConsult(call: B2buaCall, consult: Consult, plan: RingPlan): Promise<void> {
    const out = await consult.fork!.start();
    consult.fork = null;
    if (call.finished || this.consults.get(call.uuid) !== consult) {
      hangUpAnswered(out);
      return;
    }
    if (out.kind === 'failed') {
      const reason = failureReason(out);
      this.chain(call, {
        at: Date.now(),
        kind: consult.kind,
        by: consult.by.userId,
        to: consult.to,
        outcome: consult.cancelled ? 'cancelled' : `failed_${reason}`,
      });
      if (consult.orphaned) {
        // The agent hung up while the target rang and the target failed: ring the agent back.
        this.consults.delete(call.uuid);
        const slot = [call.caller, call.callee].find((p) => p.role === 'agent' && p.userId === null);
        if (!slot) {
          await call.hangup('system', `consult_failed_${reason}`);
          return;
        }
        await this.recall(
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
    call.extra.push(target);
    call.attach(target);
    call.watchLeg(target);
    await this.openLeg(call, target, out.target.label, plan.legRole, Date.now());
    this.onCall(call, target);
    consult.state = 'answered';
    if (consult.orphaned) {
      await this.complete(call, consult);
      return;
    }
    call.media!.relink(consult.by.leg!, out.leg);
    this.consultEvent(call, consult, 'answered');
  }

  private consultOf(callId: string, viewer: Viewer): { call: B2buaCall; consult: Consult } {
    const { call, agent } = this.resolve(callId, viewer);
    const consult = this.consults.get(call.uuid);
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
    this.consults.delete(call.uuid);
    const { by, customer, target } = consult;
    const i = call.extra.indexOf(target);
    if (i >= 0) call.extra.splice(i, 1);
    if (!consult.orphaned) this.release(call, by, 'transferred', byeFromAgent);
    const slot = call.caller === by || call.callee === by ? by : null;
    if (slot) this.replace(call, slot, target);
    else if (call.caller.userId === null && call.caller.role === 'agent')
      this.replace(call, call.caller, target);
    else if (call.callee.userId === null && call.callee.role === 'agent')
      this.replace(call, call.callee, target);
    this.link(call, customer.leg!, target.leg!);
    this.consultEvent(call, consult, 'completed', null, [by]);
    call.publish('answered', undefined, [target]);
    this.chain(call, {
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
    this.chain(call, {
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
    this.chain(call, {
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
    const i = call.extra.indexOf(t);
    if (i >= 0) call.extra.splice(i, 1);
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
    this.offCall(call, t);
    call.publish('ended', 'answered', [t]);
  }

  private backToCustomer(
    call: B2buaCall,
    consult: Consult,
    state: 'cancelled' | 'failed',
    reason: string | null,
  ): void {
    this.consults.delete(call.uuid);
    if (call.finished) return;
    this.link(call, consult.customer.leg!, consult.by.leg!);
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
    this.deps.events.publish(
      { type: 'consult', callId: call.uuid, state, target: consult.targetName, reason, at: Date.now() },
      { userIds, minRole: 'supervisor' },
    );
  }

  // ---- attended transfer by REFER with Replaces (RFC 3891) --------------------------------------

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
    this.connected(call, agent);
    this.mainParty(call, agent);
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
    if (other.caller === target) other.caller = new Party(target.role, target.number);
    else other.callee = new Party(target.role, target.number);
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
    this.release(call, agent, 'transferred');
    this.replace(call, agent, party);
    this.link(call, customer.leg, targetLeg);
    call.attach(party);
    call.watchLeg(party);
    await this.openLeg(
      call,
      party,
      target.number ?? 'unknown',
      party.extension?.role === 'agent' ? 'destination' : 'supervisor',
      Date.now(),
    );
    this.onCall(call, party);
    call.publish('answered', undefined, [party]);
    this.chain(call, {
      at: Date.now(),
      kind: 'refer',
      by: agent.userId,
      to: target.number ?? 'unknown',
      outcome: 'completed',
    });
  }

  // ---- hooks from B2buaCall --------------------------------------------------------------------

  partyLeft(call: B2buaCall, p: Party, inc: IncomingRequest): boolean {
    return this.leave(call, p, () => inc.reply(200));
  }

  /** A party hangs up through the API: in a consult or conference only that party leaves. */
  hangupParty(call: B2buaCall, p: Party): boolean {
    return this.leave(call, p, null);
  }

  /** `p` leaves a call in consult/conference (`ack` answers its BYE; null: we send the BYE). */
  private leave(call: B2buaCall, p: Party, ack: (() => void) | null): boolean {
    const consult = this.consults.get(call.uuid);
    if (!consult) return false;
    const byeReceived = ack !== null;
    if (p === consult.target) {
      ack?.();
      this.dropTarget(call, consult, byeReceived);
      this.chain(call, {
        at: Date.now(),
        kind: consult.kind,
        by: consult.by.userId,
        to: consult.to,
        outcome: 'target_hung_up',
      });
      if (consult.state === 'conference') {
        // The conference shrinks back to the customer and the agent.
        this.consults.delete(call.uuid);
        this.link(call, consult.customer.leg!, consult.by.leg!);
        this.consultEvent(call, consult, 'failed', 'hung_up');
      } else this.backToCustomer(call, consult, 'failed', 'hung_up');
      return true;
    }
    if (p === consult.by) {
      ack?.();
      if (consult.state === 'ringing') {
        // The agent gave up waiting: the target still rings for the customer (semi-attended).
        consult.orphaned = true;
        this.release(call, p, 'transferred', byeReceived);
        this.replace(call, p, new Party('agent', null));
        return true;
      }
      // Answered or conference: the agent leaving hands the customer to the target.
      void this.complete(call, consult, byeReceived);
      return true;
    }
    return false;
  }

  refer(call: B2buaCall, p: Party, inc: IncomingRequest): void {
    this.refers.handle(call, p, inc);
  }

  finishing(call: B2buaCall): void {
    const consult = this.consults.get(call.uuid);
    if (!consult) return;
    this.consults.delete(call.uuid);
    consult.fork?.cancel();
    // The customer (or the system) ended the call: the consult ends with it, whatever its state.
    this.consultEvent(call, consult, 'failed', 'call_ended', [consult.by, consult.target]);
  }

  private ended(call: B2buaCall): void {
    this.consults.delete(call.uuid);
    this.transferring.delete(call.uuid);
    const users = this.joined.get(call.uuid);
    this.joined.delete(call.uuid);
    if (users) for (const u of users) this.freeAgent(call, u);
  }

  // ---- parties, agent state, CDR ---------------------------------------------------------------

  /** The customer talks to `other` now; the recording (customer left channel) follows. */
  private link(call: B2buaCall, customer: PlaneLeg, other: PlaneLeg): void {
    const media = call.media;
    if (!media) return;
    media.relink(customer, other);
    if (media.recorder && media.bridge) media.recorder.follow(media.bridge, customer);
  }

  private replace(call: B2buaCall, old: Party, next: Party): void {
    if (call.caller === old) call.caller = next;
    else if (call.callee === old) call.callee = next;
    else {
      const i = call.extra.indexOf(old);
      if (i >= 0) call.extra[i] = next;
    }
  }

  /** The agent is out of the call: BYE (unless they sent it), leg closed, `transferred`, state. */
  private release(call: B2buaCall, agent: Party, why: 'transferred', byeReceived = false): void {
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
    const u = agent.userId;
    if (u === null) return;
    this.queueCalls.release(call.uuid, u);
    this.joined.get(call.uuid)?.delete(u);
    this.freeAgent(call, u);
  }

  private freeAgent(call: B2buaCall, userId: number): void {
    const rec = this.deps.agents.board.get(userId);
    if (rec?.onCall && rec.onCall.callId !== call.uuid && rec.onCall.callId !== null) return;
    if (call.init.queueId != null) this.deps.agents.markWrapUp(userId);
    else this.deps.agents.markFree(userId);
  }

  private onCall(call: B2buaCall, p: Party): void {
    if (p.userId === null) return;
    let set = this.joined.get(call.uuid);
    if (!set) {
      set = new Set();
      this.joined.set(call.uuid, set);
    }
    set.add(p.userId);
    this.deps.agents.markOnCall(p.userId, { callId: call.uuid, queueId: call.init.queueId ?? null });
  }

  private offCall(call: B2buaCall, p: Party): void {
    if (p.userId === null) return;
    this.joined.get(call.uuid)?.delete(p.userId);
    this.deps.agents.markFree(p.userId);
  }

  private async openLeg(
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
function hangUpAnswered(out: DialOutcome): void {
  if (out.kind !== 'answered') return;
  void out.dialog.bye().catch(() => {});
  out.leg.close();
}

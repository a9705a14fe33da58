import type { MediaPlane, PlaneLeg, PlanePlayback } from '@switchboard/media';
import {
  type IncomingRequest,
  isHold,
  type NameAddr,
  type SessionDialog,
  type SipResponse,
  type SipStack,
} from '@switchboard/sip';
import type { Db } from '../../db/database';
import type { CallType, Disposition } from '../../db/schema';
import type { EventBus } from '../../events/event-bus';
import type { Logger } from '../../observability/logger';
import { DEFAULT_HOLD_MUSIC } from '../../queues/hold-music';
import { completeRecordingRow, recordingPathFor } from '../call-recordings';
import type { CallRecords } from '../call-records';
import type { ExtensionInfo, PartyChange, PartyLeftReason } from '../contracts';
import { callIdHeader } from './dial-targets';
import { mapFailure } from './dispositions';
import { type DialOutcome, type DialTarget, InviteFork } from './invite-fork';
import { legForOffer, MediaSession } from './media-session';

export type Side = 'customer' | 'agent' | 'system';
export type CallDirection = 'inbound' | 'outbound' | 'internal';

/** What every call needs from the switch; built once by the CallEngine. */
export interface CallContext {
  stack: SipStack;
  media: MediaPlane;
  records: CallRecords;
  db: Db;
  events: EventBus;
  logger: Logger;
  recordingsDir: string;
  ringTimeoutMs: number;
  /** An inbound INVITE's time in the switch until the first callee INVITE went out. */
  onInviteForwarded?(seconds: number): void;
  /** Called once per call when it has ended (CDR closed). */
  onEnded(call: B2buaCall, disposition: Disposition): void;
  onAnswered(call: B2buaCall): void;
  /** A user's party joined or left the call (agent presence follows these). */
  onPartyChange(change: PartyChange): void;
  /**
   * A web agent's leg failed without a BYE (page reloaded, network lost): agent-reconnect.ts keeps
   * the customer on hold music for the grace period instead of ending the call. true = taken over.
   */
  agentLost?(call: B2buaCall, p: Party, leg: PlaneLeg): boolean;
}

/**
 * Call control (call-control.ts) plugs in here: it sees a party's BYE and REFER before the
 * two-party logic, because in a consult or a conference one party leaving does not end the call.
 */
export interface CallControlHooks {
  /** true: handled (the call goes on without `p`). */
  partyLeft(call: B2buaCall, p: Party, inc: IncomingRequest): boolean;
  refer(call: B2buaCall, p: Party, inc: IncomingRequest): void;
  /** The call is finishing: end whatever consult leg is still up. */
  finishing(call: B2buaCall): void;
}

/** One side of the call: the customer (carrier) or an agent's phone, with its dialog and media leg. */
export class Party {
  dialog: SessionDialog | null = null;
  leg: PlaneLeg | null = null;
  legRowId: number | null = null;
  /** The call_legs insert in flight (updates wait for it). */
  legRowWritten: Promise<void> | null = null;

  constructor(
    readonly role: 'customer' | 'agent',
    /** The number or extension this party is, as the other party sees it. */
    readonly number: string | null,
    readonly extension: ExtensionInfo | null = null,
  ) {}

  get userId(): number | null {
    return this.extension?.userId ?? null;
  }
}

export interface CallInit {
  type: CallType;
  direction: CallDirection;
  caller: Party;
  callee: Party;
  customerNumber: string | null;
  callerNumber: string | null;
  calledNumber: string | null;
  queueId?: number | null;
}

const SDP = 'application/sdp';

/** RFC 2976/6086 INFO DTMF (application/dtmf-relay, `Signal=5`) as desk phones send it. */
function infoDigit(body: string): string | null {
  const m = /Signal\s*=\s*([0-9*#A-D])/i.exec(body);
  return m ? m[1]!.toUpperCase() : null;
}

/**
 * One call through the switch as a back-to-back user agent (RFC 7092 §3.1): each side has its own
 * dialog and its own media leg in this process, so we see (and can record, hold, relay DTMF on)
 * everything. The setup differs by who started it — a caller's INVITE, or click-to-dial ringing
 * the agent's desk phone first — and the connected phase is the same.
 */
export class B2buaCall {
  readonly uuid: string;
  readonly cdrId: number;
  readonly direction: CallDirection;
  private callerParty: Party;
  private calleeParty: Party;
  /** A third party while in a consult or conference (the consulted user or number). */
  private readonly extraParties: Party[] = [];
  /** Parties of users announced as in this call (joined, not yet left). */
  private readonly present = new Set<Party>();
  /** Set once the call's end announced every party as left: later joins are ignored. */
  private partiesClosed = false;
  private stateNow: 'setup' | 'connected' | 'ended' = 'setup';
  media: MediaSession | null = null;
  fork: InviteFork | null = null;
  recordingId: number | null = null;
  private recordingFile: string | null = null;
  private finishing = false;
  private queueMusic: PlanePlayback | null = null;
  /** The queue a queue call came through (shown on the desk with the call events). */
  queueName: string | null = null;
  /** A key the caller typed as SIP INFO while nobody else is on the call (a waiting caller's choice). */
  onWaitingDigit: ((digit: string) => void) | null = null;
  private readonly endedWaiters: Array<() => void> = [];
  readonly startedAt = Date.now();
  /** Legs handed off by call control: their closing is not a failure of the call. */
  readonly released = new WeakSet<PlaneLeg>();
  control: CallControlHooks | null = null;
  /** Set once connected: a call sent back to a queue (transfer) is 'setup' again but was answered. */
  everAnswered = false;
  answeredAt: number | null = null;

  private constructor(
    private readonly ctx: CallContext,
    cdr: { id: number; uuid: string },
    readonly init: CallInit,
  ) {
    this.uuid = cdr.uuid;
    this.cdrId = cdr.id;
    this.direction = init.direction;
    this.callerParty = init.caller;
    this.calleeParty = init.callee;
  }

  // ---- parties ------------------------------------------------------------------------------

  /** Who called; a transfer replaces the agent's party (`replaceParty`). */
  get caller(): Party {
    return this.callerParty;
  }

  /** For a queue call, the agent who answered (a placeholder until then). */
  get callee(): Party {
    return this.calleeParty;
  }

  /** A third party while in a consult or conference. */
  get extra(): readonly Party[] {
    return this.extraParties;
  }

  get state(): 'setup' | 'connected' | 'ended' {
    return this.stateNow;
  }

  /** `next` takes `old`'s place (caller, callee or third party); presence is announced separately. */
  replaceParty(old: Party, next: Party): void {
    if (this.callerParty === old) this.callerParty = next;
    else if (this.calleeParty === old) this.calleeParty = next;
    else {
      const i = this.extraParties.indexOf(old);
      if (i >= 0) this.extraParties[i] = next;
    }
  }

  /** A consulted party joins the call as a third party. */
  addThirdParty(p: Party): void {
    if (!this.extraParties.includes(p)) this.extraParties.push(p);
  }

  /** The third party is no longer one (it left, or took a main party's place). */
  removeThirdParty(p: Party): void {
    const i = this.extraParties.indexOf(p);
    if (i >= 0) this.extraParties.splice(i, 1);
  }

  /** The user behind `p` is in this call now. */
  join(p: Party): void {
    const userId = p.userId;
    if (userId === null || this.partiesClosed || this.present.has(p)) return;
    this.present.add(p);
    this.ctx.onPartyChange({
      change: 'joined',
      callId: this.uuid,
      userId,
      queueId: this.init.queueId ?? null,
    });
  }

  /** The user behind `p` is out of this call (handed on, dropped, or it ended). */
  leave(p: Party, reason: PartyLeftReason): void {
    const userId = p.userId;
    if (userId === null || !this.present.delete(p)) return;
    this.ctx.onPartyChange({
      change: 'left',
      callId: this.uuid,
      userId,
      queueId: this.init.queueId ?? null,
      reason,
    });
  }

  /**
   * A connected call goes (back) to a queue's waiting list: the customer becomes the waiting
   * caller, parked on the session's first leg, and the agent's side is empty until one answers.
   */
  waitInQueue(customer: Party, queueId: number, queueName: string): void {
    const media = this.media!;
    // connectAgent bridges the agent who answers to the session's first leg: the customer's.
    if (this.callerParty !== customer) {
      this.calleeParty = this.callerParty;
      this.callerParty = customer;
    }
    media.park(customer.leg!);
    media.a = customer.leg!;
    media.b = null;
    this.stateNow = 'setup';
    this.init.queueId = queueId;
    this.queueName = queueName;
  }

  static async create(ctx: CallContext, init: CallInit): Promise<B2buaCall> {
    const agent = [init.caller, init.callee].find((p) => p.role === 'agent' && p.userId !== null);
    const cdr = await ctx.records.open({
      type: init.type,
      queueId: init.queueId ?? null,
      agentUserId: agent?.userId ?? null,
      customerNumber: init.customerNumber,
      callerNumber: init.callerNumber,
      calledNumber: init.calledNumber,
    });
    return new B2buaCall(ctx, cdr, init);
  }

  /**
   * A call that carries on an existing CDR: a caller a call script answered and hands to a queue.
   * The caller's leg row already exists (`callerRow`).
   */
  static adopt(ctx: CallContext, cdr: { id: number; uuid: string }, init: CallInit): B2buaCall {
    return new B2buaCall(ctx, cdr, init);
  }

  /**
   * The caller is already connected (its dialog and media leg come from a call script): it waits
   * with the queue's music, as `answerWaiting` does for a caller answered here.
   */
  waitConnected(
    dialog: SessionDialog,
    leg: PlaneLeg,
    legRow: Promise<number | null>,
    music = DEFAULT_HOLD_MUSIC,
  ): void {
    const caller = this.caller;
    caller.dialog = dialog;
    caller.leg = leg;
    caller.legRowWritten = legRow.then((id) => {
      caller.legRowId = id;
    });
    this.media = new MediaSession(this.ctx.media, leg);
    this.attach(caller);
    this.watchLeg(caller);
    this.queueMusic = this.ctx.media.play(leg, music, { loop: true });
  }

  /**
   * A waiting caller goes back to the call script it came from (a flow's queue exit): the call
   * stops here without a BYE or closing the CDR, and its dialog and media leg are handed back
   * untouched. Null when the caller is no longer waiting.
   */
  releaseCaller(): { dialog: SessionDialog; media: PlaneLeg } | null {
    const caller = this.caller;
    const { dialog, leg } = caller;
    if (this.finishing || this.state !== 'setup' || !dialog || !leg || leg.closed) return null;
    this.finishing = true;
    this.released.add(leg);
    this.queueMusic?.stop();
    this.queueMusic = null;
    this.ctx.media.stopPlayback(leg);
    this.onWaitingDigit = null;
    dialog.onRequest = undefined;
    dialog.onTerminated = undefined;
    caller.dialog = null;
    caller.leg = null;
    this.media = null;
    return { dialog, media: leg };
  }

  get agents(): Party[] {
    return [this.caller, this.callee, ...this.extra].filter((p) => p.role === 'agent' && p.userId !== null);
  }

  ended(): Promise<void> {
    if (this.state === 'ended') return Promise.resolve();
    return new Promise((r) => this.endedWaiters.push(r));
  }

  other(p: Party): Party {
    if (this.extra.includes(p)) return this.caller.role === 'customer' ? this.caller : this.callee;
    return p === this.caller ? this.callee : this.caller;
  }

  get finished(): boolean {
    return this.finishing;
  }

  /** Call state on the live stream, for each agent in the call (and supervisors). */
  publish(
    state: 'ringing' | 'answered' | 'held' | 'resumed' | 'transferred' | 'conference' | 'ended',
    disposition?: Disposition,
    only?: Party[],
  ): void {
    for (const p of only ?? this.agents) {
      if (p.userId === null) continue;
      this.ctx.events.publish(
        {
          type: 'call',
          callId: this.uuid,
          state,
          direction: this.direction,
          otherParty: this.other(p).number,
          ...(this.queueName ? { queue: this.queueName } : {}),
          ...(disposition ? { disposition } : {}),
          at: Date.now(),
        },
        { userIds: [p.userId!], minRole: 'supervisor' },
      );
    }
  }

  /** The call ringing for a user who is not in it yet (a transfer target): they see the customer. */
  publishOffer(userId: number, otherParty: string | null): void {
    this.ctx.events.publish(
      {
        type: 'call',
        callId: this.uuid,
        state: 'ringing',
        direction: 'inbound',
        otherParty,
        ...(this.queueName ? { queue: this.queueName } : {}),
        at: Date.now(),
      },
      { userIds: [userId], minRole: 'supervisor' },
    );
  }

  private readonly legIds = new Set<string>();

  /** A unique call_legs.leg_uuid: `<call>-a`, `<call>-b`, then numbered as transfers add legs. */
  legUuid(suffix: string): string {
    let id = `${this.uuid}-${suffix}`;
    for (let n = 2; this.legIds.has(id); n++) id = `${this.uuid}-${suffix}${n}`;
    this.legIds.add(id);
    return id;
  }

  openLeg(p: Party, peer: string): Promise<void> {
    p.legRowWritten = this.writeLegRow(p, peer);
    return p.legRowWritten;
  }

  private async writeLegRow(p: Party, peer: string): Promise<void> {
    try {
      p.legRowId = await this.ctx.records.openLeg(this.cdrId, {
        legUuid: this.legUuid(p === this.caller ? 'a' : 'b'),
        role: p.role,
        peer,
      });
    } catch (err) {
      this.ctx.logger.warn({ err, call: this.uuid }, 'call leg row not written');
    }
  }

  /** Leg row updates still in flight; the call is reported ended only once they are written. */
  private readonly legWrites = new Set<Promise<void>>();

  updateLeg(
    p: Party,
    fields: { answered_at?: number; ended_at?: number; disposition?: Disposition; hangup_cause?: string },
  ): Promise<void> {
    const write = (async () => {
      await p.legRowWritten;
      if (p.legRowId === null) return;
      await this.ctx.records
        .updateLeg(p.legRowId, fields)
        .catch((err) => this.ctx.logger.warn({ err }, 'call leg update failed'));
    })();
    this.legWrites.add(write);
    void write.finally(() => this.legWrites.delete(write));
    return write;
  }

  /**
   * The leg rows of these parties already written, to be answered or ended in the call's own write
   * (one statement for all of them). A party whose insert is still on its way is updated by itself
   * once it is in (`updateLeg`), so nothing here waits on it: the answer, the recording and the end
   * go on at once.
   */
  private writtenLegRows(parties: Party[], fields: Parameters<B2buaCall['updateLeg']>[1]): number[] {
    const rows: number[] = [];
    for (const p of parties) {
      if (p.legRowId !== null) rows.push(p.legRowId);
      else if (p.legRowWritten) void this.updateLeg(p, fields);
    }
    return rows;
  }

  // ---- setup: a caller's INVITE (inbound from the carrier, or from an extension) ---------------

  /**
   * The UAS half answers the caller only once the callee answers: until then it relays 180, or 183
   * with our SDP and a ringback tone (RFC 3960 §2.1) when the caller is a plain RTP peer that plays
   * early media; the callee's own early media (183 with SDP) is bridged through instead.
   */
  async runInbound(
    incoming: IncomingRequest,
    targets: DialTarget[],
    from: NameAddr,
    to: string,
    headers: Array<[string, string]>,
  ): Promise<void> {
    const offer = incoming.request.bodyText;
    let aLeg: PlaneLeg | null = null;
    let answer = '';
    let media: MediaSession | null = null;
    // The caller's answer and the callee's offer are made side by side (in the media worker, each
    // is a round trip); the callee's INVITE waits for the caller's answer to be ready.
    const callerReady = (async () => {
      if (!offer || incoming.request.contentType !== SDP) throw new Error('INVITE without SDP offer');
      const leg = await legForOffer(this.ctx.media, offer);
      try {
        answer = await leg.acceptOffer(offer);
      } catch (e) {
        leg.close();
        throw e;
      }
      aLeg = leg;
      media = new MediaSession(this.ctx.media, leg);
    })();

    let early = false;
    let ringing = false;
    let forwarded = false;
    const fork = new InviteFork(this.ctx.stack, this.ctx.media, {
      targets,
      from,
      to,
      headers,
      timeoutMs: this.ctx.ringTimeoutMs,
      onInviteSent: () => {
        const at = incoming.request.receivedAt;
        if (forwarded || at === undefined) return;
        forwarded = true;
        this.ctx.onInviteForwarded?.((performance.now() - at) / 1000);
      },
      ready: callerReady.then(
        () => true,
        () => false,
      ),
      onProgress: (res, leg) => {
        if (this.finishing || incoming.answered || !media || !aLeg) return;
        const session = media;
        const callerLeg = aLeg;
        if (res.body.length > 0 && res.contentType === SDP) {
          // The callee's early media (183): bridge it through and show it to the caller.
          void leg
            .acceptAnswer(res.bodyText)
            .then(() => {
              if (this.finishing || incoming.answered) return;
              session.join(leg);
              if (!early) {
                early = true;
                incoming.progress(183, { body: answer, contentType: SDP });
              }
            })
            .catch(() => {});
          return;
        }
        if (ringing || early) return;
        ringing = true;
        if (callerLeg.kind === 'rtp') {
          early = true;
          incoming.progress(183, { body: answer, contentType: SDP });
          session.ringback(callerLeg);
        } else incoming.progress(180);
        this.publish('ringing');
      },
    });
    this.fork = fork;
    incoming.onCancel = () => fork.cancel();
    const dialled = fork.start();
    try {
      await callerReady;
    } catch (err) {
      fork.cancel();
      this.fork = null;
      await this.refuseCallerOffer(incoming, err);
      return;
    }
    this.caller.leg = aLeg;
    this.media = media;
    this.watchLeg(this.caller);
    this.writeLegRows(incoming.request.from?.uri.toString() ?? 'unknown', targets[0]?.label ?? 'none');
    if (this.callee.role === 'agent') this.publish('ringing');
    const outcome = await dialled;
    this.fork = null;
    if (outcome.kind === 'failed') {
      await this.finishUnanswered(incoming, outcome);
      return;
    }
    await this.connect(outcome, () => {
      const dialog = incoming.accept({ body: answer, contentType: SDP });
      // §9.2: a CANCEL that won the race leaves our late 2xx unsent and the dialog terminated.
      return dialog.state === 'terminated' ? null : dialog;
    });
  }

  /** 488 to a caller whose offer we cannot take (no SDP, or no codec in common), and the call ends. */
  private async refuseCallerOffer(incoming: IncomingRequest, err: unknown): Promise<void> {
    this.ctx.logger.info({ err: String(err), call: this.uuid }, 'caller offer not acceptable');
    if (!incoming.answered) incoming.reply(488, { reason: 'Not Acceptable Here' });
    await this.finish({ disposition: 'failed', cause: 'incompatible_media', side: 'system' });
  }

  /**
   * The leg rows are written once the callee's INVITE is on its way (setImmediate runs after the
   * promise chain that sends it); updates to them wait for the inserts.
   */
  private writeLegRows(callerPeer: string, calleePeer: string): void {
    const written = new Promise<void>((resolve) =>
      setImmediate(() => {
        const rows = [this.openLeg(this.caller, callerPeer), this.openLeg(this.callee, calleePeer)];
        void Promise.all(rows).then(() => resolve());
      }),
    );
    this.caller.legRowWritten = written;
    this.callee.legRowWritten = written;
  }

  /** Nobody answered (busy, no answer, failure, or the caller gave up): the caller hears why. */
  private async finishUnanswered(
    incoming: IncomingRequest,
    outcome: Extract<DialOutcome, { kind: 'failed' }>,
  ): Promise<void> {
    const cancelled = incoming.cancelled || outcome.cause === 'cancelled';
    const m = mapFailure(outcome.status, outcome.cause);
    if (!incoming.answered) incoming.reply(m.status, { reason: m.reason });
    await this.finish({
      disposition: m.disposition,
      cause: cancelled ? 'caller_cancel' : m.cause,
      side: cancelled ? this.caller.role : outcome.cause === 'no_answer' ? 'system' : this.callee.role,
    });
  }

  // ---- setup: a caller waiting in a queue (ACD) --------------------------------------

  /**
   * Accepts the caller's offer on a media leg of ours and returns our SDP answer; null when it is
   * not acceptable (488 sent, call finished) or the caller cancelled meanwhile.
   */
  async prepareCaller(incoming: IncomingRequest): Promise<string | null> {
    const offer = incoming.request.bodyText;
    let aLeg: PlaneLeg;
    let answer: string;
    try {
      if (!offer || incoming.request.contentType !== SDP) throw new Error('INVITE without SDP offer');
      aLeg = await legForOffer(this.ctx.media, offer);
      try {
        answer = await aLeg.acceptOffer(offer);
      } catch (e) {
        aLeg.close();
        throw e;
      }
    } catch (err) {
      this.ctx.logger.info({ err: String(err), call: this.uuid }, 'caller offer not acceptable');
      if (!incoming.answered) incoming.reply(488, { reason: 'Not Acceptable Here' });
      await this.finish({ disposition: 'failed', cause: 'incompatible_media', side: 'system' });
      return null;
    }
    this.caller.leg = aLeg;
    this.media = new MediaSession(this.ctx.media, aLeg);
    this.watchLeg(this.caller);
    void this.openLeg(this.caller, incoming.request.from?.uri.toString() ?? 'unknown');
    if (incoming.cancelled) {
      if (!incoming.answered) incoming.reply(487, { reason: 'Request Terminated' });
      await this.finish({ disposition: 'unanswered', cause: 'caller_cancel', side: this.caller.role });
      return null;
    }
    return answer;
  }

  /**
   * Answers the waiting caller (200 with our SDP): the queue's hold music (`music`, a prompt name
   * QueueCalls has checked is playable) plays until an agent answers.
   */
  answerWaiting(incoming: IncomingRequest, answer: string, music = DEFAULT_HOLD_MUSIC): boolean {
    if (this.finishing || incoming.answered) return false;
    const dialog = incoming.accept({ body: answer, contentType: SDP });
    if (dialog.state === 'terminated') return false;
    this.caller.dialog = dialog;
    this.attach(this.caller);
    if (this.caller.leg) this.queueMusic = this.ctx.media.play(this.caller.leg, music, { loop: true });
    return true;
  }

  /** The agent leg of a waiting call answered (and won the claim): stop the music, bridge, report. */
  async connectAgent(agent: Party, outcome: Extract<DialOutcome, { kind: 'answered' }>): Promise<boolean> {
    if (this.finishing || this.state !== 'setup' || !this.media) {
      void outcome.dialog.bye().catch(() => {});
      outcome.leg.close();
      return false;
    }
    this.queueMusic?.stop();
    this.queueMusic = null;
    this.calleeParty = agent;
    agent.dialog = outcome.dialog;
    agent.leg = outcome.leg;
    this.media.join(outcome.leg);
    this.stateNow = 'connected';
    this.join(agent);
    this.attach(agent);
    this.watchLeg(agent);
    const now = Date.now();
    await this.openLeg(agent, outcome.target.label);
    const legs = this.writtenLegRows([agent, this.caller], { answered_at: now });
    await this.ctx.records.answered(this.cdrId, now, legs).catch(() => {});
    await this.ctx.records.update(this.cdrId, { agent_user_id: agent.userId }).catch(() => {});
    if (this.finishing) return true;
    this.ctx.onAnswered(this);
    this.publish('answered');
    await this.startRecording();
    return true;
  }

  // ---- setup: click-to-dial ---------------------------------------------------------

  /** Rings the agent's desk phone; when it answers, dials the customer through the trunk. */
  async runClickToDial(
    agentTargets: DialTarget[],
    agentFrom: NameAddr,
    agentTo: string,
    customer: () => {
      targets: DialTarget[];
      from: NameAddr;
      to: string;
      headers: Array<[string, string]>;
    } | null,
  ): Promise<void> {
    const agent = this.caller;
    void this.openLeg(agent, agentTargets[0]?.label ?? 'none');
    this.publish('ringing');
    const first = new InviteFork(this.ctx.stack, this.ctx.media, {
      targets: agentTargets,
      from: agentFrom,
      to: agentTo,
      headers: [callIdHeader(this.uuid)],
      timeoutMs: this.ctx.ringTimeoutMs,
    });
    this.fork = first;
    const a = await first.start();
    this.fork = null;
    if (a.kind === 'failed') {
      const m = mapFailure(a.status, a.cause);
      await this.finish({
        disposition: m.disposition,
        cause: a.cause === 'cancelled' ? 'agent_cancel' : `agent_${m.cause}`,
        side: a.cause === 'cancelled' ? 'agent' : 'system',
      });
      return;
    }
    agent.dialog = a.dialog;
    agent.leg = a.leg;
    const media = new MediaSession(this.ctx.media, a.leg);
    this.media = media;
    this.attach(agent);
    this.watchLeg(agent);
    void this.updateLeg(agent, { answered_at: Date.now() });
    if (this.finishing) return;
    const out = customer();
    if (!out) {
      await this.finish({ disposition: 'failed', cause: 'no_trunk', side: 'system' });
      return;
    }
    void this.openLeg(this.callee, out.targets[0]?.label ?? 'none');
    media.ringback(a.leg);
    const second = new InviteFork(this.ctx.stack, this.ctx.media, {
      targets: out.targets,
      from: out.from,
      to: out.to,
      headers: out.headers,
      timeoutMs: this.ctx.ringTimeoutMs,
      onProgress: (res, leg) => {
        if (this.finishing || res.body.length === 0 || res.contentType !== SDP) return;
        void leg
          .acceptAnswer(res.bodyText)
          .then(() => {
            if (!this.finishing) media.join(leg);
          })
          .catch(() => {});
      },
    });
    this.fork = second;
    const b = await second.start();
    this.fork = null;
    if (b.kind === 'failed') {
      const m = mapFailure(b.status, b.cause);
      await this.finish({
        disposition: m.disposition,
        cause: b.cause === 'cancelled' ? 'agent_cancel' : m.cause,
        side: b.cause === 'cancelled' ? 'agent' : b.cause === 'no_answer' ? 'system' : 'customer',
      });
      return;
    }
    await this.connect(b, () => agent.dialog);
  }

  // ---- connected ----------------------------------------------------------------------------

  /** The callee answered: confirm the caller's side (`confirmCaller`), bridge, record, report. */
  private async connect(
    outcome: Extract<DialOutcome, { kind: 'answered' }>,
    confirmCaller: () => SessionDialog | null,
  ): Promise<void> {
    const callee = this.callee;
    callee.dialog = outcome.dialog;
    callee.leg = outcome.leg;
    if (this.finishing) {
      void outcome.dialog.bye().catch(() => {});
      outcome.leg.close();
      return;
    }
    const media = this.media!;
    media.join(outcome.leg);
    const callerDialog = confirmCaller();
    if (!callerDialog) {
      void outcome.dialog.bye().catch(() => {});
      await this.finish({ disposition: 'unanswered', cause: 'caller_cancel', side: this.caller.role });
      return;
    }
    this.caller.dialog = callerDialog;
    this.stateNow = 'connected';
    for (const p of [this.caller, callee]) if (p.role === 'agent') this.join(p);
    if (!this.caller.dialog.onRequest) this.attach(this.caller);
    this.attach(callee);
    this.watchLeg(callee);
    const now = Date.now();
    // The legs answer in the call's own write: one statement for both rather than one each.
    const answered = this.caller.role === 'customer' ? [callee, this.caller] : [callee];
    const legs = this.writtenLegRows(answered, { answered_at: now });
    await this.ctx.records.answered(this.cdrId, now, legs).catch(() => {});
    this.ctx.onAnswered(this);
    this.publish('answered');
    await this.startRecording();
  }

  private async startRecording(): Promise<void> {
    const agent = this.agents.find((p) => p.extension?.recording);
    const media = this.media;
    if (!agent || !media || this.finishing) return;
    const customer = this.other(agent);
    if (!customer.leg) return;
    const rel = recordingPathFor(this.uuid);
    try {
      if (!(await media.record(rel, customer.leg))) return;
      this.recordingId = await this.ctx.records.openRecording(this.cdrId, {
        agentUserId: agent.userId,
        path: rel,
      });
      this.recordingFile = rel;
    } catch (err) {
      this.ctx.records.recordingFailures++;
      this.ctx.logger.error({ err, call: this.uuid }, 'recording could not start');
    }
  }

  /** In-dialog requests of one side once it is part of the call. */
  attach(p: Party): void {
    const dialog = p.dialog!;
    dialog.onRequest = (inc) => this.onDialogRequest(p, inc);
    dialog.onTerminated = (reason) => {
      if (reason === 'bye received') return; // handled by onDialogRequest
      void this.finish({
        disposition: this.state === 'connected' ? 'answered' : 'unanswered',
        cause: reason === 'bye sent' ? 'normal_clearing' : `dialog_${reason.replace(/\W+/g, '_')}`,
        side: 'system',
      });
    };
  }

  watchLeg(p: Party): void {
    const leg = p.leg;
    leg?.on('inactive', () => {
      if (this.released.has(leg)) return;
      // A held call may legitimately be silent in one direction; RTP silence otherwise means the
      // peer is gone without a BYE, and no call may live forever.
      if (this.media?.onHold) return;
      if (leg && this.ctx.agentLost?.(this, p, leg)) return;
      void this.hangup('system', 'media_timeout');
    });
    // A WebRTC leg closes itself when ICE fails (the browser vanished without a BYE: closed tab,
    // lost network). The call cannot go on without it; our own finish() closing the leg is a no-op here.
    leg?.on('closed', () => {
      if (this.finishing || this.released.has(leg) || this.ctx.agentLost?.(this, p, leg)) return;
      void this.hangup('system', 'media_failed');
    });
  }

  private onDialogRequest(p: Party, inc: IncomingRequest): void {
    const other = this.other(p);
    switch (inc.method) {
      case 'BYE':
        if (this.control?.partyLeft(this, p, inc)) return;
        inc.reply(200);
        void this.finish({
          disposition: this.state === 'connected' ? 'answered' : 'unanswered',
          cause: this.state === 'connected' ? 'normal_clearing' : `${p.role}_cancel`,
          side: p.role,
          byeFrom: p,
        });
        return;
      case 'INVITE':
      case 'UPDATE':
        void this.onReoffer(p, inc);
        return;
      case 'INFO': {
        const digit =
          inc.request.contentType === 'application/dtmf-relay' ? infoDigit(inc.request.bodyText) : null;
        if (digit && other.leg) void other.leg.sendDigit(digit).catch(() => {});
        else if (digit && p === this.caller) this.onWaitingDigit?.(digit);
        inc.reply(200);
        return;
      }
      case 'ACK':
        return;
      case 'REFER':
        if (this.control) this.control.refer(this, p, inc);
        else inc.reply(603);
        return;
      default:
        inc.reply(200);
    }
  }

  /** Re-INVITE / UPDATE: hold (sendonly/inactive, RFC 6337 §5.3) or resume, answered from the leg. */
  private async onReoffer(p: Party, inc: IncomingRequest): Promise<void> {
    const leg = p.leg;
    const sdp = inc.request.bodyText;
    if (!leg || !sdp) {
      if (inc.method === 'UPDATE' && leg) inc.reply(200);
      else inc.reply(488, { reason: 'Offer Required' });
      return;
    }
    try {
      const answer = await leg.acceptOffer(sdp);
      const holding = isHold(sdp);
      inc.reply(200, { body: answer, contentType: SDP });
      const media = this.media;
      if (!media || this.state !== 'connected') return;
      if (holding && !media.isHeldBy(leg)) {
        media.hold(leg);
        this.publish('held');
      } else if (!holding && media.isHeldBy(leg)) {
        media.resume(leg);
        this.publish('resumed');
      }
    } catch {
      if (!inc.answered) inc.reply(488);
    }
  }

  /** Ends the call from the API or the system (media timeout, shutdown). */
  async hangup(side: Side, cause: string): Promise<void> {
    await this.finish({
      disposition: this.state === 'connected' ? 'answered' : 'unanswered',
      cause,
      side,
    });
  }

  /**
   * Ends the call exactly once: stops ringing, sends BYE to every side still up (except the one
   * that hung up), closes the media and recording, closes the CDR with quality, reports.
   */
  async finish(end: { disposition: Disposition; cause: string; side: Side; byeFrom?: Party }): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    if (this.everAnswered && end.disposition === 'unanswered') end = { ...end, disposition: 'answered' };
    const at = Date.now();
    this.control?.finishing(this);
    this.fork?.cancel();
    this.queueMusic?.stop();
    for (const p of [this.caller, this.callee, ...this.extra]) {
      const d = p.dialog;
      if (p === end.byeFrom || !d || d.state === 'terminated') continue;
      d.onTerminated = undefined;
      void d.bye().catch(() => {});
    }
    const quality: Record<string, unknown> = {};
    await Promise.all(
      [this.caller, this.callee].map(async (p) => {
        if (!p.leg || p.leg.closed) return;
        const q = await Promise.resolve(p.leg.quality()).catch(() => null);
        if (q) quality[p.role === 'customer' ? 'customer' : p === this.caller ? 'caller' : 'callee'] = q;
      }),
    );
    const rec = this.media ? await this.media.close() : null;
    for (const p of [this.caller, this.callee, ...this.extra]) p.leg?.close();
    if (this.recordingId !== null && rec)
      await completeRecordingRow(this.ctx.records, this.ctx.logger, this.recordingId, rec);
    // The legs end in the call's close: one statement for all of them, and journaled with it.
    const parties = [this.caller, this.callee, ...this.extra];
    const ended = { ended_at: at, disposition: end.disposition, hangup_cause: end.cause };
    const legs = this.writtenLegRows(parties, ended);
    try {
      await this.ctx.records.close(
        this.cdrId,
        {
          disposition: end.disposition,
          hangupCause: end.cause,
          hangupSide: end.side,
          quality: Object.keys(quality).length > 0 ? quality : undefined,
        },
        at,
        legs,
      );
    } catch (err) {
      this.ctx.logger.error({ err, call: this.uuid }, 'CDR not closed');
      for (const p of parties) if (p.legRowId !== null) void this.updateLeg(p, ended);
    }
    // Whoever hears `ended` (the desk, a report, a test) finds every leg row closed.
    await Promise.all(this.legWrites);
    this.stateNow = 'ended';
    this.publish('ended', end.disposition);
    this.partiesClosed = true;
    for (const p of [...this.present]) this.leave(p, 'ended');
    this.ctx.onEnded(this, end.disposition);
    for (const w of this.endedWaiters.splice(0)) w();
  }

  get recordingPath(): string | null {
    return this.recordingFile;
  }
}

export type { SipResponse };

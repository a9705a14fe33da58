import type { MediaPlane, PlaneBridge, PlaneLeg, PlaneRecording } from '@switchboard/media';
import type { IncomingRequest, NameAddr, SessionDialog, SipStack } from '@switchboard/sip';
import type { Db } from '../../db/database';
import type { CallType, Disposition } from '../../db/schema';
import type { EventBus } from '../../events/event-bus';
import type { Logger } from '../../observability/logger';
import type { QueueLeave, QueueLeaveReason } from '../../queues/types';
import { completeRecordingRow, recordingPathFor } from '../call-recordings';
import type { CallRecords } from '../call-records';
import type { CallRouter } from '../calls/call-router';
import {
  callIdHeader,
  carrierCallerId,
  contactTarget,
  fromAddress,
  trunkTarget,
} from '../calls/dial-targets';
import { mapFailure } from '../calls/dispositions';
import { type DialTarget, InviteFork } from '../calls/invite-fork';
import type { OutboundTrunks, PartyChange, TrunkRoute } from '../contracts';
import { FINAL_LEG_STATUSES, type LegHost, type LegRole, ScriptLeg } from './script-leg';
import { type Prompt, promptNames } from './spoken-values';

/** What every script call needs from the switch; built once by `CallScripts`. */
export interface ScriptContext {
  stack: SipStack;
  media: MediaPlane;
  records: CallRecords;
  db: Db;
  events: EventBus;
  logger: Logger;
  router: CallRouter;
  trunks: OutboundTrunks;
  recordingsDir: string;
  /** Default ring timeout of an originated leg. */
  ringTimeoutMs: number;
  /** A user's phone joined or left a script call (agent presence follows these). */
  onPartyChange?(change: PartyChange): void;
  /** Hands a connected leg to the ACD (installed by the queue side of the switch). */
  enqueue?(
    call: ScriptCall,
    leg: ScriptLeg,
    queueId: number,
    options: EnqueueOptions,
  ): Promise<QueueEntryResult>;
}

/** What the ACD answers `enqueue`: a caller who left by a flow exit comes back as its dialog and media. */
export type QueueEntryResult =
  | Exclude<EnqueueResult, { left: QueueLeaveReason }>
  | { left: QueueLeaveReason; dialog: SessionDialog; media: PlaneLeg };

/** Where an originated leg goes out. */
export type Via =
  | { trunk: number | 'any' }
  /** A registered extension's contacts (a desk phone or a browser). */
  | { extension: string }
  /** The agent's own extension. */
  | { agent: number };

export interface OriginateOptions {
  /** E.164 number (through a trunk) or extension number (through `{ extension }`). */
  to: string;
  via?: Via;
  /** Presented in From (and P-Asserted-Identity toward a trunk). */
  callerId?: { number: string; name?: string | null };
  ringTimeoutMs?: number;
  role?: LegRole;
  headers?: Array<[string, string]>;
}

export interface BridgeOptions {
  /** The bridge ends this long after it started: `endPrompt` to leg a, leg b hung up. */
  maxDurationMs?: number;
  /** Leg a hears `warnPrompt` this long before `maxDurationMs` (leg b hears nothing meanwhile). */
  warnBeforeEndMs?: number;
  warnPrompt?: Prompt | Prompt[];
  endPrompt?: Prompt | Prompt[];
  /**
   * Digits that, typed on leg a, end leg b only (`#11`): the bridge resolves and the script goes on
   * with leg a. Digits are relayed to the other side as RFC 4733 events either way.
   */
  disconnectSequence?: string;
  /** Record the bridge (stereo, leg a on the left), as the service's recording policy says. */
  record?: boolean;
}

export interface BridgeEnd {
  /** `a`/`b`: that leg hung up (or failed); `system`: the maximum duration; `script`: `unbridge()`. */
  endedBy: 'a' | 'b' | 'system' | 'script';
  reason: 'hangup' | 'disconnect_sequence' | 'max_duration' | 'unbridged';
  durationMs: number;
}

export interface EnqueueOptions {
  /** `high` puts the caller at the head of the waiting list. */
  priority?: 'normal' | 'high';
  /** 1-based place in the waiting list (1 = next to be served). */
  position?: number;
  /** Offer the call to this agent first (as a supervisor's assignment does). */
  agentPreference?: number;
  /**
   * Take the place of this waiting entry (a callback placeholder's id in the queue): the customer
   * called back waits where the placeholder was, and the agent kept for it is offered the call.
   * When the placeholder is gone the caller joins at the head.
   */
  inPlaceOf?: string;
  /**
   * A call flow's exits: with `maxWait` or `noAgents`, `enqueue` resolves only once the caller stops waiting —
   * `queued` (an agent, a hang-up or the queue's own overflow took it) or `left` with the caller's
   * leg back, connected, for the flow to go on with.
   */
  leave?: QueueLeave;
}

/** `no_agents` only with `leave.noAgents`; `left` only with `leave` (see there). */
export type EnqueueResult =
  | 'queued'
  | 'full'
  | 'no_agents'
  | 'no_such_queue'
  | 'not_connected'
  | { left: QueueLeaveReason; leg: ScriptLeg };

export interface ScriptCallInit {
  type: CallType;
  /** The service running the call, kept in the CDR (`web_callback`, `callback`, `flow`…). */
  service: string;
  customerNumber?: string | null;
  callerNumber?: string | null;
  calledNumber?: string | null;
  queueId?: number | null;
  /** The customer the call is for, when the script knows it (else found from the number). */
  customerId?: number | null;
  /** The agent the call belongs to (who may look its customer up). */
  agentUserId?: number | null;
  /** Users who see the call's leg events besides supervisors (an agent, a portal's owner). */
  watchers?: number[];
  /** Portal subscribers who see the call's leg events (the owner of a web callback). */
  subscriberWatchers?: number[];
}

const DEFAULT_END_PROMPT: Prompt[] = ['goodbye'];

/**
 * A call the server places or steers itself: one CDR (`calls` row), a `call_legs` row per leg, leg
 * status on the live stream. A script originates legs, plays to them, collects their digits,
 * bridges two of them, hands one to a queue, and ends; `end()` (or the `CallScripts.run` wrapper)
 * releases every leg, timer and RTP port whatever path the script took.
 */
export class ScriptCall implements LegHost {
  readonly legs: ScriptLeg[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private legSeq = 0;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** A leg went to the ACD: the queue call owns the CDR from then on. */
  private handedOver = false;
  private firstAnsweredAt: number | null = null;
  private readonly rowWrites = new Set<Promise<unknown>>();
  private readonly endWaiters: Array<() => void> = [];
  private recording: { id: number; file: PlaneRecording } | null = null;
  /** A recording being opened: the end waits for it so its file and row are finished too. */
  private recordingStarted: Promise<void> = Promise.resolve();
  readonly startedAt = Date.now();
  /** The hang-up cause the script gives the call when it ends normally (`abandoned`); else the last leg's. */
  endCause: string | null = null;

  constructor(
    private readonly ctx: ScriptContext,
    readonly cdrId: number,
    readonly uuid: string,
    readonly init: ScriptCallInit,
    private readonly onClosed: (call: ScriptCall) => void,
  ) {}

  get media(): MediaPlane {
    return this.ctx.media;
  }

  get logger() {
    return this.ctx.logger;
  }

  get ended(): boolean {
    return this.closed;
  }

  /** Timers this call holds (waits, bridge limits): zero once it has ended. */
  get pendingTimers(): number {
    return this.timers.size + this.legs.reduce((n, l) => n + l.digits.armed, 0);
  }

  // ---- legs -----------------------------------------------------------------------------------

  private newLeg(
    role: LegRole,
    number: string | null,
    direction: 'outbound' | 'inbound',
    incoming: IncomingRequest | null = null,
  ) {
    this.legSeq += 1;
    const leg = new ScriptLeg(this, `${this.uuid}-l${this.legSeq}`, role, number, direction, incoming);
    this.legs.push(leg);
    leg.rowId = this.track(
      this.ctx.records.openLeg(this.cdrId, { legUuid: leg.id, role, peer: number }).catch((err) => {
        this.ctx.logger.warn({ err, leg: leg.id }, 'call leg row not written');
        return null;
      }),
    );
    return leg;
  }

  /** The agent the call turned out to be for (a predictive dial finds them once the customer answers). */
  assignAgent(userId: number): void {
    this.init.agentUserId = userId;
    this.track(
      this.ctx.records.update(this.cdrId, { agent_user_id: userId }).catch((err) => {
        this.ctx.logger.warn({ err, call: this.uuid }, 'call agent not written');
      }),
    );
  }

  /** @internal An inbound leg: the caller's INVITE handed to the script by its route. */
  adoptCaller(incoming: IncomingRequest, number: string | null): ScriptLeg {
    return this.newLeg('customer', number, 'inbound', incoming);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.rowWrites.add(p);
    void p.finally(() => this.rowWrites.delete(p));
    return p;
  }

  /** LegHost: a leg changed status — its row and the live stream follow. */
  legChanged(leg: ScriptLeg): void {
    const at = Date.now();
    if (leg.status === 'connected') {
      this.writeLeg(leg, { answered_at: leg.answeredAt ?? at });
      if (this.firstAnsweredAt === null) {
        this.firstAnsweredAt = leg.answeredAt ?? at;
        this.track(this.ctx.records.answered(this.cdrId, this.firstAnsweredAt).catch(() => {}));
      }
    } else if (FINAL_LEG_STATUSES.has(leg.status)) {
      if (!leg.handedOver)
        this.writeLeg(leg, {
          ended_at: leg.endedAt ?? at,
          disposition: leg.disposition,
          hangup_cause: leg.cause ?? 'normal_clearing',
        });
    }
    this.ctx.events.publish(
      {
        type: 'call_leg',
        callId: this.uuid,
        legId: leg.id,
        number: leg.number,
        role: leg.role,
        status: leg.status,
        cause: leg.cause,
        at,
      },
      {
        userIds: this.init.watchers ?? [],
        minRole: 'supervisor',
        subscriberIds: this.init.subscriberWatchers,
      },
    );
  }

  private writeLeg(leg: ScriptLeg, fields: Parameters<CallRecords['updateLeg']>[1]): void {
    this.track(
      (async () => {
        const id = await leg.rowId;
        if (id === null) return;
        await this.ctx.records.updateLeg(id, fields);
      })().catch((err) => this.ctx.logger.warn({ err, leg: leg.id }, 'call leg update failed')),
    );
  }

  /**
   * Calls `to` and returns its leg at once; `await leg.outcome()` gives `connected` or how it failed
   * (`busy`, `no_answer`, `rejected`, `failed` with `leg.cause`: `not_found`, `no_trunk`,
   * `not_registered`, `sip_503`…). Status changes are on the live stream as they happen.
   */
  originate(o: OriginateOptions): ScriptLeg {
    const via = o.via ?? { trunk: 'any' };
    const role = o.role ?? ('extension' in via || 'agent' in via ? 'agent' : 'customer');
    const leg = this.newLeg(role, o.to, 'outbound');
    if (this.closed) {
      leg.finish('ended', 'call_ended', 'script');
      return leg;
    }
    void this.dial(leg, o, via).catch((err) => {
      this.ctx.logger.error({ err, leg: leg.id }, 'originate failed');
      leg.finish('failed', 'internal_error', 'system');
    });
    return leg;
  }

  private async dial(leg: ScriptLeg, o: OriginateOptions, via: Via): Promise<void> {
    const route = await this.routeFor(o, via);
    if (leg.ended) return;
    if ('fail' in route) {
      leg.finish('failed', route.fail, 'system');
      return;
    }
    const fork = new InviteFork(this.ctx.stack, this.ctx.media, {
      targets: route.targets,
      from: route.from,
      to: route.to,
      headers: [...route.headers, ...(o.headers ?? [])],
      timeoutMs: o.ringTimeoutMs ?? this.ctx.ringTimeoutMs,
      onProgress: (res) => {
        if (res.status === 183 && res.body.length > 0) leg.setStatus('early_media');
        else if (res.status >= 180) leg.setStatus('alerting');
      },
    });
    leg.fork = fork;
    const out = await fork.start();
    leg.fork = null;
    if (out.kind === 'answered') {
      leg.connect(out.dialog, out.leg);
      if (route.userId !== null && !leg.ended) this.userOnLeg(route.userId, leg);
      return;
    }
    if (out.cause === 'cancelled') {
      leg.finish('ended', 'cancelled', 'script');
      return;
    }
    const m = mapFailure(out.status, out.cause);
    const status =
      m.cause === 'busy'
        ? 'busy'
        : m.cause === 'rejected'
          ? 'rejected'
          : m.cause === 'no_answer'
            ? 'no_answer'
            : 'failed';
    leg.finish(status, m.cause, out.cause === 'no_answer' ? 'system' : 'remote');
  }

  /** A user's phone answered a leg: they are on this call until the leg ends. */
  private userOnLeg(userId: number, leg: ScriptLeg): void {
    const announce = this.ctx.onPartyChange;
    if (!announce) return;
    announce({ change: 'joined', callId: this.uuid, userId, queueId: null });
    void leg
      .done()
      .then(() => announce({ change: 'left', callId: this.uuid, userId, queueId: null, reason: 'ended' }));
  }

  private async routeFor(
    o: OriginateOptions,
    via: Via,
  ): Promise<
    | { fail: string }
    | {
        targets: DialTarget[];
        from: NameAddr;
        to: string;
        headers: Array<[string, string]>;
        /** The user whose phone this is (an agent's or a user's extension). */
        userId: number | null;
      }
  > {
    const stack = this.ctx.stack;
    if ('trunk' in via) {
      const number = this.ctx.router.e164(o.to);
      if (!number) return { fail: 'invalid_number' };
      const trunk: TrunkRoute | null =
        via.trunk === 'any'
          ? this.ctx.router.trunk()
          : this.ctx.trunks.state(via.trunk) === 'up'
            ? this.ctx.trunks.route(via.trunk)
            : null;
      const target = trunk ? trunkTarget(trunk, number) : null;
      if (!trunk || !target) return { fail: 'no_trunk' };
      const shown = o.callerId?.number ?? trunk.callerId ?? 'anonymous';
      const { from, headers } = carrierCallerId(stack, shown, o.callerId?.name);
      return { targets: [target], from, to: `<${target.uri}>`, headers, userId: null };
    }
    let extension: string | null;
    if ('agent' in via) {
      const row = await this.ctx.db
        .selectFrom('extensions')
        .select('number')
        .where('user_id', '=', via.agent)
        .orderBy('id')
        .executeTakeFirst();
      extension = row?.number ?? null;
    } else extension = via.extension;
    const info = extension ? await this.ctx.router.extension(extension) : null;
    if (!extension || !info) return { fail: 'no_extension' };
    const contacts = this.ctx.router.contacts(extension);
    if (contacts.length === 0) return { fail: 'not_registered' };
    const shown = o.callerId?.number ?? 'anonymous';
    return {
      targets: contacts.map(contactTarget),
      from: fromAddress(stack, shown, o.callerId?.name ?? shown),
      to: `<sip:${extension}@${stack.host}>`,
      headers: [callIdHeader(this.uuid)],
      userId: info.userId,
    };
  }

  // ---- steering -------------------------------------------------------------------------------

  /** Waits `ms`; resolves false at once if the call ends meanwhile. */
  wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        off();
        resolve(true);
      }, ms);
      this.timers.add(t);
      const off = this.onEnd(() => {
        clearTimeout(t);
        this.timers.delete(t);
        resolve(false);
      });
    });
  }

  private onEnd(fn: () => void): () => void {
    this.endWaiters.push(fn);
    return () => {
      const i = this.endWaiters.indexOf(fn);
      if (i >= 0) this.endWaiters.splice(i, 1);
    };
  }

  private activeBridge: { unbridge(): void } | null = null;

  /** Ends the running bridge from the script (`unbridged`); both legs stay up. */
  unbridge(): void {
    this.activeBridge?.unbridge();
  }

  /**
   * Joins two connected legs until one hangs up, `a` types the disconnect sequence (then `b` is hung
   * up) or the maximum duration is reached (`a` hears the end prompt, `b` is hung up). The surviving
   * leg stays up for the script; a leg that hung up is over.
   */
  bridge(a: ScriptLeg, b: ScriptLeg, opts: BridgeOptions = {}): Promise<BridgeEnd> {
    const started = Date.now();
    const end = (endedBy: BridgeEnd['endedBy'], reason: BridgeEnd['reason']): BridgeEnd => ({
      endedBy,
      reason,
      durationMs: Date.now() - started,
    });
    if (this.activeBridge) throw new Error('this call already has a bridge');
    if (!a.connected || !a.media) return Promise.resolve(end('a', 'hangup'));
    if (!b.connected || !b.media) return Promise.resolve(end('b', 'hangup'));
    a.stopPlayback();
    b.stopPlayback();
    const plane = this.ctx.media;
    const aMedia = a.media;
    const bMedia = b.media;
    const sequence = opts.disconnectSequence ?? '';
    const joined = plane.bridge(aMedia, bMedia, { dtmf: sequence ? 'intercept' : 'passthrough' });
    if (opts.record) this.recordingStarted = this.startRecording(joined, aMedia);
    return new Promise<BridgeEnd>((resolve) => {
      let settled = false;
      let typed = '';
      const timers: NodeJS.Timeout[] = [];
      const later = (ms: number, fn: () => void) => this.later(timers, ms, fn);
      const finish = (result: BridgeEnd) => {
        if (settled) return;
        settled = true;
        for (const t of timers) {
          clearTimeout(t);
          this.timers.delete(t);
        }
        offA();
        offB();
        a.divert = null;
        b.divert = null;
        joined.unbridge();
        plane.forgetSilence(bMedia);
        this.activeBridge = null;
        resolve(result);
      };
      this.activeBridge = { unbridge: () => finish(end('script', 'unbridged')) };
      // Intercepted digits are relayed by hand; `a`'s are also matched against the sequence.
      a.divert = (digit) => {
        if (!sequence) return;
        typed = (typed + digit).slice(-sequence.length);
        if (typed === sequence) {
          finish(end('a', 'disconnect_sequence'));
          void b.hangup('disconnect_sequence');
          return;
        }
        void bMedia.sendDigit(digit).catch(() => {});
      };
      b.divert = (digit) => {
        if (sequence) void aMedia.sendDigit(digit).catch(() => {});
      };
      const offA = a.onStatus(() => {
        if (a.ended) finish(end('a', 'hangup'));
      });
      const offB = b.onStatus(() => {
        if (b.ended) finish(end('b', 'hangup'));
      });
      if (a.ended) finish(end('a', 'hangup'));
      if (b.ended) finish(end('b', 'hangup'));
      const max = opts.maxDurationMs;
      if (max === undefined || settled) return;
      const warnBefore = opts.warnBeforeEndMs ?? 0;
      if (warnBefore > 0 && warnBefore < max) {
        later(max - warnBefore, () => {
          if (settled) return;
          // `b` is held back while `a` hears the warning, then the conversation resumes.
          plane.silence(bMedia, true);
          const prompt = opts.warnPrompt ?? ['call-ends-in', { duration: { seconds: warnBefore / 1000 } }];
          void plane
            .play(aMedia, promptNames(prompt))
            .done.catch(() => 'stopped')
            .then(() => {
              if (!settled) plane.silence(bMedia, false);
            });
        });
      }
      later(max, () => {
        if (settled) return;
        finish(end('system', 'max_duration'));
        void b.hangup('max_duration', 'system');
      });
    }).then(async (result) => {
      // The end prompt plays before the script goes on with `a`.
      if (result.reason === 'max_duration') await a.play(opts.endPrompt ?? DEFAULT_END_PROMPT);
      return result;
    });
  }

  /** A timer of this call (cleared when the call ends), also listed in `timers` for its bridge to clear. */
  private later(timers: NodeJS.Timeout[], ms: number, fn: () => void): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        fn();
      },
      Math.max(0, ms),
    );
    this.timers.add(t);
    timers.push(t);
  }

  private async startRecording(bridge: PlaneBridge, left: PlaneLeg) {
    if (this.recording) {
      this.recording.file.follow(bridge, left);
      return;
    }
    const rel = recordingPathFor(this.uuid);
    try {
      const file = await this.ctx.media.record(bridge, left, rel);
      const id = await this.ctx.records.openRecording(this.cdrId, { agentUserId: null, path: rel });
      this.recording = { id, file };
    } catch (err) {
      this.ctx.records.recordingFailures++;
      this.ctx.logger.error({ err, call: this.uuid }, 'recording could not start');
    }
  }

  /**
   * Hands a connected leg to a queue of the ACD: it waits there with the queue's music and
   * announcements like any caller, and the queue call carries on this call's CDR. The leg is the
   * queue's from then on (`leg.handedOver`).
   */
  async enqueue(leg: ScriptLeg, queueId: number, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (!leg.connected || !leg.media || !leg.dialog) return 'not_connected';
    if (!this.ctx.enqueue) throw new Error('the ACD is not connected to call scripts');
    const result = await this.ctx.enqueue(this, leg, queueId, options);
    if (result === 'queued') this.handedOver = true;
    if (typeof result === 'string') return result;
    return { left: result.left, leg: this.takeBack(leg, result.dialog, result.media) };
  }

  /**
   * The caller a queue gave back (a flow exit): a new leg of this call on the same dialog, media
   * and leg row, connected since it was first answered. The CDR is this call's to close again.
   */
  private takeBack(before: ScriptLeg, dialog: SessionDialog, media: PlaneLeg): ScriptLeg {
    this.legSeq += 1;
    const leg = new ScriptLeg(
      this,
      `${this.uuid}-l${this.legSeq}`,
      before.role,
      before.number,
      'inbound',
      null,
    );
    leg.rowId = before.rowId;
    this.legs.push(leg);
    this.handedOver = false;
    leg.answeredAt = before.answeredAt;
    leg.connect(dialog, media);
    return leg;
  }

  // ---- end ------------------------------------------------------------------------------------

  /**
   * Ends the call: every leg still up is hung up (CANCEL or BYE), timers are cleared, the CDR is
   * closed (answered once any leg connected; else from the first leg's outcome). Runs once.
   */
  end(cause = 'normal_clearing', side: 'customer' | 'agent' | 'system' = 'system'): Promise<void> {
    this.closing ??= this.close(cause, side);
    return this.closing;
  }

  private async close(cause: string, side: 'customer' | 'agent' | 'system'): Promise<void> {
    this.activeBridge?.unbridge();
    await Promise.all(this.legs.filter((l) => !l.ended).map((l) => l.hangup(cause, 'system')));
    await Promise.all(this.legs.map((l) => l.done()));
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.endWaiters.splice(0)) w();
    await this.recordingStarted;
    if (this.recording) {
      const rec = await this.recording.file.stop().catch(() => null);
      await completeRecordingRow(this.ctx.records, this.ctx.logger, this.recording.id, rec);
    }
    await Promise.all(this.rowWrites);
    if (!this.handedOver) {
      const first = this.legs[0];
      const disposition: Disposition =
        this.firstAnsweredAt !== null ? 'answered' : first ? first.disposition : 'failed';
      const quality: Record<string, unknown> = {};
      for (const l of this.legs) if (l.quality) quality[l.id.slice(this.uuid.length + 1)] = l.quality;
      const lastCause = [...this.legs].reverse().find((l) => l.cause)?.cause;
      await this.ctx.records
        .close(this.cdrId, {
          disposition,
          hangupCause: cause === 'normal_clearing' ? (this.endCause ?? lastCause ?? cause) : cause,
          hangupSide: side,
          quality: Object.keys(quality).length > 0 ? quality : undefined,
        })
        .catch((err) => this.ctx.logger.error({ err, call: this.uuid }, 'CDR not closed'));
    }
    this.onClosed(this);
  }
}

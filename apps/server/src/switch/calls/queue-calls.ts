import { type MediaPlane, type PlanePlayback, sayMinutes, sayNumber } from '@switchboard/media';
import type { IncomingRequest } from '@switchboard/sip';
import { announcedMinutes } from '../../queues/expected-wait';
import { DEFAULT_HOLD_MUSIC, holdMusicFor, promptCatalogue } from '../../queues/hold-music';
import type {
  AgentOffer,
  AgentOfferPort,
  OfferResult,
  OverflowTarget,
  QueueCall,
  QueueCallPort,
  QueueLeaveReason,
  VirtualHoldPort,
} from '../../queues/types';
import { offersCallback, VIRTUAL_HOLD_OFFER_INTERVAL_S } from '../../queues/virtual-hold';
import { DigitBuffer } from '../scripts/digit-buffer';
import type { EnqueueOptions, QueueEntryResult, ScriptCall } from '../scripts/script-call';
import type { ScriptLeg } from '../scripts/script-leg';
import type { CallServices } from '../services';
import { B2buaCall, Party } from './b2bua-call';
import type { CallEngine } from './call-engine';
import { callIdHeader, contactTarget } from './dial-targets';
import { type DialOutcome, InviteFork } from './invite-fork';
import { isWebRtcSdp } from './media-session';

type QueueDeps = Pick<CallServices, 'sip' | 'queues' | 'agents' | 'logger' | 'events' | 'db' | 'records'>;

/** The first position announcement comes this soon after the caller starts waiting (or the interval, if shorter). */
const FIRST_ANNOUNCEMENT_S = 3;
/** A hang-up message longer than this is cut (a stuck clock must not keep the call up). */
const MESSAGE_CAP_MS = 15_000;

/**
 * A waiting caller's announcement cycle; `music` is the hold music we resumed after an announcement
 * (or switched to on overflow), `musicName` the prompt the caller hears between announcements.
 */
interface WaitingAudio {
  timer: ReturnType<typeof setTimeout> | null;
  announcement: PlanePlayback | null;
  music: PlanePlayback | null;
  musicName: string;
  stopped: boolean;
  /** The caller has heard the callback offer: pressing 1 takes it. */
  offered: boolean;
  /** The caller is giving their callback number: the keys go here, announcements wait. */
  keys: DigitBuffer | null;
  /** Stops listening to the caller's keys. */
  unlisten: (() => void) | null;
}

function waitingAudio(musicName: string): WaitingAudio {
  return {
    timer: null,
    announcement: null,
    music: null,
    musicName,
    stopped: false,
    offered: false,
    keys: null,
    unlisten: null,
  };
}

/** An E.164 number read out digit by digit. */
function digitPrompts(number: string): string[] {
  return [...number.replace(/\D/g, '')].map((d) => `digit-${d}`);
}

interface OfferLeg {
  fork: InviteFork | null;
  cancelled: boolean;
}

function offerResult(o: Extract<DialOutcome, { kind: 'failed' }>): OfferResult {
  if (o.cause !== 'response') return 'no_answer';
  if (o.status === 486 || o.status === 600 || o.status === 603) return 'declined';
  if (o.status === 408 || o.status === 480 || o.status === 487) return 'no_answer';
  return 'failed';
}

/**
 * The switch side of the ACD: inbound calls routed to a queue are answered and hear the
 * queue's hold music while they wait; the dispatcher's offers ring the agent's extension (caller ID
 * masked, `X-Switchboard-Queue` naming the queue); the agent who answers and wins the claim is
 * bridged to the caller. Agents go on call on the claim (the ACD) and as the call's party; presence
 * (agents/agent-presence.ts) puts them in wrap-up when they leave it.
 */
export class QueueCalls implements AgentOfferPort, QueueCallPort {
  private readonly offers = new Map<string, OfferLeg>();
  /** What the queue decided for a call turned away on arrival (max length), read back by `handle`. */
  private readonly onArrival = new Map<string, OverflowTarget>();
  private readonly waitingAudio = new Map<string, WaitingAudio>();
  /** Script callers with flow exits, by call: told how their wait ended. */
  private readonly flowWaits = new Map<string, (r: QueueEntryResult) => void>();
  /** Takes a waiting caller's callback request (the queued-callback service); null: never offered. */
  virtualHold: VirtualHoldPort | null = null;

  constructor(
    private readonly deps: QueueDeps,
    private readonly engine: CallEngine,
    private readonly media: MediaPlane,
  ) {}

  /**
   * A caller a call script answered (an IVR, a callback) joins a queue and waits like any caller;
   * the queue call carries on the script call's CDR. Refused (`full` with no overflow, no such
   * queue) → the leg stays with the script.
   */
  async adoptScriptLeg(
    script: ScriptCall,
    leg: ScriptLeg,
    queueId: number,
    options: EnqueueOptions,
  ): Promise<QueueEntryResult> {
    if (!this.deps.queues.dispatcher(queueId)) return 'no_such_queue';
    const call = B2buaCall.adopt(
      this.engine.context,
      { id: script.cdrId, uuid: script.uuid },
      {
        type: script.init.type,
        direction: 'inbound',
        caller: new Party('customer', leg.number),
        callee: new Party('agent', null),
        customerNumber: leg.number,
        callerNumber: leg.number,
        calledNumber: script.init.calledNumber ?? null,
        queueId,
      },
    );
    call.queueName = this.deps.queues.dispatcher(queueId)?.queueConfig.name ?? null;
    // Offers look the call up as soon as the dispatcher makes one (possibly inside enqueue).
    this.engine.track(call);
    const queueCall: QueueCall = {
      callId: call.uuid,
      callerNumber: leg.number,
      ...(options.leave ? { leave: options.leave } : {}),
    };
    // A customer called back for a placeholder takes its place (and the agent kept for it).
    const replaced =
      options.inPlaceOf !== undefined && this.deps.queues.replace(queueId, options.inPlaceOf, queueCall);
    const outcome = replaced ? 'queued' : this.deps.queues.enqueue(queueId, queueCall);
    let target: OverflowTarget | undefined;
    if (outcome === 'full') {
      target = this.onArrival.get(call.uuid) ?? { type: 'hangup' };
      this.onArrival.delete(call.uuid);
    }
    if (outcome === 'no_agents' || outcome === 'no_such_queue' || target?.type === 'hangup') {
      this.engine.untrack(call);
      return outcome === 'full' ? 'full' : outcome;
    }
    const parts = leg.release();
    if (!parts) {
      this.deps.queues.hangup(call.uuid);
      this.engine.untrack(call);
      return 'not_connected';
    }
    // Synchronously after enqueue, as for a caller answered here: no agent can answer first.
    const music = this.musicOf(target?.type === 'queue' ? target.queueId : queueId);
    call.waitConnected(parts.dialog, parts.media, leg.rowId, music);
    void this.deps.records
      .update(script.cdrId, { queue_id: queueId })
      .catch((err) => this.deps.logger.warn({ err }, 'queue of a script call not recorded'));
    const waitingIn = target?.type === 'queue' ? target.queueId : queueId;
    if (options.priority === 'high' || (options.inPlaceOf !== undefined && !replaced))
      this.deps.queues.move(waitingIn, call.uuid, 'top');
    else if (options.position !== undefined) {
      let at = this.deps.queues.whereWaiting(call.uuid)?.position ?? null;
      while (at !== null && at > Math.max(1, options.position)) {
        const next = this.deps.queues.move(waitingIn, call.uuid, 'up');
        if (next === null || next >= at) break;
        at = next;
      }
    }
    if (options.agentPreference !== undefined)
      this.deps.queues.assign(waitingIn, call.uuid, options.agentPreference);
    // A flow exit taken on arrival (full, no agents) needs no waiting; the others come back later.
    const waited =
      options.leave?.maxWait || options.leave?.noAgents
        ? new Promise<QueueEntryResult>((resolve) => this.flowWaits.set(call.uuid, resolve))
        : null;
    void this.waitInQueue(call, music, target, queueId);
    return waited ?? 'queued';
  }

  /** The caller stopped waiting other than by a flow exit: the queue call carries it on. */
  private flowWaitOver(callId: string): void {
    const done = this.flowWaits.get(callId);
    this.flowWaits.delete(callId);
    done?.('queued');
  }

  /** Plugs into the ACD and the call engine. */
  install(): void {
    this.engine.scripts?.setQueueEntry((script, leg, queueId, options) =>
      this.adoptScriptLeg(script, leg, queueId, options),
    );
    this.deps.queues.setOfferPort(this);
    this.deps.queues.setCallPort(this);
    this.engine.queueHandler = (call, incoming, queueId) => this.handle(call, incoming, queueId);
    this.engine.onCallEnded((call) => this.ended(call));
  }

  /** An inbound call routed to a queue. */
  async handle(call: B2buaCall, incoming: IncomingRequest, queueId: number): Promise<void> {
    call.queueName = this.deps.queues.dispatcher(queueId)?.queueConfig.name ?? null;
    const answer = await call.prepareCaller(incoming);
    if (answer === null) return;
    const outcome = this.deps.queues.enqueue(queueId, {
      callId: call.uuid,
      callerNumber: call.init.callerNumber,
      callerName: incoming.request.from?.displayName ?? null,
    });
    if (outcome === 'no_such_queue') {
      incoming.reply(480, { reason: 'Queue Not Available' });
      await call.finish({ disposition: 'failed', cause: 'queue_not_available', side: 'system' });
      return;
    }
    let target: OverflowTarget | undefined;
    if (outcome === 'full') {
      target = this.onArrival.get(call.uuid) ?? { type: 'hangup' };
      this.onArrival.delete(call.uuid);
      if (target.type === 'hangup') {
        await this.busyMessage(call, incoming, answer);
        if (incoming.cancelled) {
          await call.finish({ disposition: 'unanswered', cause: 'caller_cancel', side: 'customer' });
          return;
        }
        if (!incoming.answered) incoming.reply(486, { reason: 'Busy Here' });
        await call.finish({ disposition: 'busy', cause: 'queue_full', side: 'system' });
        return;
      }
    }
    // The INVITE is answered synchronously after enqueue: no agent can answer before the caller is.
    // Turned away into another queue on arrival: the caller waits there, to its music.
    const music = this.musicOf(target?.type === 'queue' ? target.queueId : queueId);
    if (!call.answerWaiting(incoming, answer, music)) {
      this.deps.queues.hangup(call.uuid);
      if (!incoming.answered) incoming.reply(487, { reason: 'Request Terminated' });
      await call.finish({ disposition: 'unanswered', cause: 'caller_cancel', side: 'customer' });
      return;
    }
    await this.waitInQueue(call, music, target, queueId);
  }

  /** The caller is answered and queued: announcements while waiting, or the overflow extension rings. */
  private async waitInQueue(
    call: B2buaCall,
    music: string,
    target: OverflowTarget | undefined,
    queueId: number,
  ): Promise<void> {
    const w = waitingAudio(music);
    this.waitingAudio.set(call.uuid, w);
    this.listenForKeys(call, w);
    if (target?.type === 'extension') await this.ringExtension(call, target.extension, queueId);
    else this.announceWhileWaiting(call);
  }

  /**
   * The queue's own hold music, or the default when it names none or its file cannot be played
   * (removed since the admin chose it): a waiting caller never hears silence.
   */
  private musicOf(queueId: number): string {
    const chosen = this.deps.queues.dispatcher(queueId)?.queueConfig.holdMusic ?? null;
    const music = holdMusicFor(promptCatalogue(), chosen);
    if (chosen && music !== chosen)
      this.deps.logger.warn(
        { queueId, holdMusic: chosen },
        'queue hold music not playable; playing the default',
      );
    return music;
  }

  // ---- AgentOfferPort --------------------------------------------------------------------------

  async offer(offer: AgentOffer): Promise<OfferResult> {
    const key = `${offer.call.callId}:${offer.userId}`;
    const leg: OfferLeg = { fork: null, cancelled: false };
    this.offers.set(key, leg);
    try {
      const call = this.engine.calls.get(offer.call.callId);
      if (call?.state !== 'setup') return 'failed';
      const info = await this.engine.router.extension(offer.extension);
      const contacts = this.engine.router.contacts(offer.extension);
      if (!info || contacts.length === 0) return 'failed';
      const from = await this.engine.presentTo(info, offer.call.callerNumber, 'anonymous');
      if (leg.cancelled) return 'no_answer';
      const queueName = this.deps.queues.dispatcher(offer.queueId)?.queueConfig.name ?? String(offer.queueId);
      const fork = new InviteFork(this.deps.sip, this.media, {
        targets: contacts.map(contactTarget),
        from,
        to: `<sip:${info.number}@${this.deps.sip.host}>`,
        headers: [['X-Switchboard-Queue', queueName.replace(/[\r\n]/g, ' ')], callIdHeader(call.uuid)],
        timeoutMs: offer.ringTimeoutMs,
      });
      leg.fork = fork;
      const started = fork.start();
      this.ringing(offer, queueName, 'ringing');
      const out = await started;
      if (out.kind === 'failed') {
        // The agent's desk stops showing the offer.
        this.ringing(offer, queueName, 'ended');
        return offerResult(out);
      }
      if (leg.cancelled || !offer.claim()) {
        void out.dialog.bye().catch(() => {});
        out.leg.close();
        return 'answered';
      }
      const agent = new Party('agent', info.number, info);
      call.join(agent);
      // Nothing of ours may keep playing into the caller once the agent's audio is bridged.
      this.stopWaitingAudio(call);
      // The caller left as the agent answered: nothing to wrap up.
      if (!(await call.connectAgent(agent, out))) call.leave(agent, 'left');
      return 'answered';
    } finally {
      this.offers.delete(key);
    }
  }

  /** The offer on the agent's live stream (the desk shows the queue call ringing, then gone). */
  private ringing(offer: AgentOffer, queue: string, state: 'ringing' | 'ended'): void {
    this.deps.events.publish(
      {
        type: 'call',
        callId: offer.call.callId,
        state,
        direction: 'inbound',
        otherParty: offer.call.callerNumber,
        queue,
        ...(state === 'ended' ? { disposition: 'unanswered' as const } : {}),
        at: Date.now(),
      },
      { userIds: [offer.userId], minRole: 'supervisor' },
    );
  }

  cancel(offer: AgentOffer): void {
    const leg = this.offers.get(`${offer.call.callId}:${offer.userId}`);
    if (!leg) return;
    leg.cancelled = true;
    leg.fork?.cancel();
  }

  // ---- QueueCallPort ---------------------------------------------------------------------------

  /** A flow exit took the caller out of the queue: its leg goes back to the flow's call script. */
  leave(call: QueueCall, _fromQueueId: number, reason: QueueLeaveReason): void {
    const b2b = this.engine.calls.get(call.callId);
    const back = this.flowWaits.get(call.callId);
    this.flowWaits.delete(call.callId);
    if (!b2b) return;
    this.stopWaitingAudio(b2b);
    const parts = back ? b2b.releaseCaller() : null;
    if (!back || !parts) {
      // Nobody to hand it back to (cannot happen for a flow caller): the queue's message, then BYE.
      back?.('queued');
      void this.hangUpWithMessage(b2b, reason === 'max_wait' ? 'queue_max_wait' : 'queue_no_agents');
      return;
    }
    this.engine.untrack(b2b);
    back({ left: reason, ...parts });
  }

  overflow(call: QueueCall, fromQueueId: number, target: OverflowTarget, reason: 'max_wait' | 'full'): void {
    const b2b = this.engine.calls.get(call.callId);
    if (!b2b) return;
    if (target.type === 'queue') void this.recordOverflow(b2b.cdrId, fromQueueId, target.queueId);
    if (reason === 'full' && b2b.caller.dialog === null) {
      // Still inside enqueue(): `handle` answers it.
      this.onArrival.set(call.callId, target);
      return;
    }
    if (target.type === 'queue') {
      // Waiting in the other queue now: its music, announcements at its interval.
      this.switchMusic(b2b, this.musicOf(target.queueId));
      this.announceWhileWaiting(b2b);
      return;
    }
    if (target.type === 'extension') {
      // The caller keeps hearing music while the extension rings; announcements end.
      this.stopAnnouncements(b2b);
      void this.ringExtension(b2b, target.extension, fromQueueId);
      return;
    }
    this.stopWaitingAudio(b2b);
    void this.hangUpWithMessage(b2b, 'queue_max_wait');
  }

  /**
   * The CDR keeps the queue the call arrived in (`queue_id`); the overflow is a step of its
   * transfer chain. Appended (call control appends its consult/transfer steps to the same list).
   */
  private async recordOverflow(cdrId: number, fromQueueId: number, toQueueId: number): Promise<void> {
    try {
      await this.deps.records.addTransfer(cdrId, {
        kind: 'overflow',
        fromQueueId,
        toQueueId,
        at: Date.now(),
      });
    } catch (err) {
      this.deps.logger.warn({ err, cdrId }, 'queue overflow not recorded in the transfer chain');
    }
  }

  /**
   * Turned away on arrival (max length, overflow "hang up"): the caller hears the busy message as
   * early media — 183 with our SDP answer (RFC 3960 §3) — before the 486. Plain RTP callers only: a
   * browser's WebRTC leg would need ICE and DTLS first, so it gets the 486 at once.
   */
  private async busyMessage(call: B2buaCall, incoming: IncomingRequest, answer: string): Promise<void> {
    const leg = call.caller.leg;
    if (!leg || leg.closed || isWebRtcSdp(incoming.request.bodyText) || incoming.cancelled) return;
    incoming.progress(183, { body: answer, contentType: 'application/sdp' });
    const message = this.media.play(leg, 'agents-busy-call-later');
    incoming.onCancel = () => message.stop();
    const cap = setTimeout(() => message.stop(), MESSAGE_CAP_MS);
    await message.done;
    clearTimeout(cap);
    incoming.onCancel = undefined;
  }

  /** Overflow "hang up with a message": the caller hears why before our BYE. */
  private async hangUpWithMessage(call: B2buaCall, cause: string): Promise<void> {
    const leg = call.caller.leg;
    if (leg && !leg.closed && call.state === 'setup') {
      this.media.stopPlayback(leg);
      const message = this.media.play(leg, 'agents-busy-call-later');
      const cap = setTimeout(() => message.stop(), MESSAGE_CAP_MS);
      await message.done;
      clearTimeout(cap);
    }
    await call.hangup('system', cause);
  }

  // ---- position / expected-wait announcements --------------------------------------------------

  /**
   * A connected call sent into a queue by a transfer (call-control.ts): the customer, parked with the
   * default music, now hears the queue's own music and its announcements like any caller waiting.
   */
  waitAfterTransfer(call: B2buaCall, queueId: number): void {
    const musicName = this.musicOf(queueId);
    const w = waitingAudio(musicName);
    this.waitingAudio.set(call.uuid, w);
    this.listenForKeys(call, w);
    const leg = call.caller.leg;
    if (leg && !leg.closed && musicName !== DEFAULT_HOLD_MUSIC) {
      this.media.stopPlayback(leg);
      w.music = this.media.play(leg, musicName, { loop: true });
    }
    this.announceWhileWaiting(call);
  }

  /**
   * While the call waits, every `announce_interval_s` of the queue it waits in: the hold music
   * pauses, the caller hears "You are caller number N. Your expected wait is about M minutes."
   * (the wait part only when the queue has recent answered calls to go by), then the music resumes.
   * The first announcement comes shortly after arrival. Re-arming (overflow into another queue)
   * keeps an announcement in progress and only resets the timer.
   */
  private announceWhileWaiting(call: B2buaCall): void {
    let w = this.waitingAudio.get(call.uuid);
    if (!w) {
      w = waitingAudio(this.musicOf(call.init.queueId!));
      this.waitingAudio.set(call.uuid, w);
      this.listenForKeys(call, w);
    }
    if (w.announcement) return;
    this.scheduleAnnouncement(call, w, true);
  }

  private scheduleAnnouncement(call: B2buaCall, w: WaitingAudio, first: boolean): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    const where = this.deps.queues.whereWaiting(call.uuid);
    if (w.stopped || w.keys || !where) return;
    // Announcements at their interval; with them off, a queue offering callbacks still offers.
    const interval =
      where.config.announceIntervalS > 0
        ? where.config.announceIntervalS
        : where.config.virtualHold && this.virtualHold
          ? VIRTUAL_HOLD_OFFER_INTERVAL_S
          : 0;
    if (interval <= 0) return;
    const delayS = first ? Math.min(interval, FIRST_ANNOUNCEMENT_S) : interval;
    w.timer = setTimeout(() => {
      w.timer = null;
      this.announce(call, w).catch((err) =>
        this.deps.logger.warn({ err, call: call.uuid }, 'queue announcement failed'),
      );
    }, delayS * 1000);
  }

  private async announce(call: B2buaCall, w: WaitingAudio): Promise<void> {
    const leg = call.caller.leg;
    const before = this.deps.queues.whereWaiting(call.uuid);
    if (w.stopped || w.keys || !before || !leg || leg.closed) return;
    const waitS = await this.deps.queues.expectedWaitS(before.queueId, before.position).catch(() => null);
    // Re-read after the CDR look-up: the caller may have moved, been answered or hung up meanwhile.
    const where = this.deps.queues.whereWaiting(call.uuid);
    if (w.stopped || w.keys || !where || leg.closed || call.state !== 'setup') return;
    const names: string[] = [];
    if (where.config.announceIntervalS > 0) {
      names.push('you-are-caller-number', ...sayNumber(where.position));
      if (waitS !== null) names.push('expected-wait-about', ...sayMinutes(announcedMinutes(waitS)));
    }
    const offer = this.virtualHold !== null && offersCallback(where.config.virtualHold, waitS);
    if (offer) {
      names.push('virtual-hold-offer');
      w.offered = true;
    }
    if (names.length === 0) {
      this.scheduleAnnouncement(call, w, false);
      return;
    }
    // Pauses the hold music (the call's own, or ours from the previous announcement).
    this.media.stopPlayback(leg);
    w.music = null;
    const announcement = this.media.play(leg, names);
    w.announcement = announcement;
    await announcement.done;
    if (w.announcement === announcement) w.announcement = null;
    // A callback request that began during the announcement carries on from here.
    if (
      w.stopped ||
      w.keys ||
      leg.closed ||
      call.state !== 'setup' ||
      !this.deps.queues.whereWaiting(call.uuid)
    )
      return;
    w.music = this.media.play(leg, w.musicName, { loop: true });
    this.scheduleAnnouncement(call, w, false);
  }

  /**
   * The caller moved to a queue with other music: it replaces the current one now, or after the
   * announcement in progress (which resumes `musicName`).
   */
  private switchMusic(call: B2buaCall, music: string): void {
    const w = this.waitingAudio.get(call.uuid);
    const leg = call.caller.leg;
    if (!w || w.stopped || w.musicName === music) return;
    w.musicName = music;
    if (w.announcement || !leg || leg.closed) return;
    this.media.stopPlayback(leg);
    w.music = this.media.play(leg, music, { loop: true });
  }

  /** No more announcements, but the hold music goes on (restarted if an announcement was playing). */
  private stopAnnouncements(call: B2buaCall): void {
    const w = this.waitingAudio.get(call.uuid);
    if (!w || w.stopped) return;
    w.stopped = true;
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    const leg = call.caller.leg;
    if (w.announcement && leg && !leg.closed) {
      w.announcement.stop();
      w.announcement = null;
      w.music = this.media.play(leg, w.musicName, { loop: true });
    }
  }

  /** The caller stops waiting (agent, overflow, hang-up): no more announcements, our music off. */
  private stopWaitingAudio(call: B2buaCall): void {
    this.flowWaitOver(call.uuid);
    const w = this.waitingAudio.get(call.uuid);
    if (!w) return;
    this.waitingAudio.delete(call.uuid);
    w.stopped = true;
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    w.announcement?.stop();
    w.music?.stop();
    w.unlisten?.();
    w.keys?.close();
  }

  // ---- queued callback (virtual hold) ----------------------------------------------------------

  /** The waiting caller's keys: RFC 4733 events on their leg, or SIP INFO (RFC 6086). */
  private listenForKeys(call: B2buaCall, w: WaitingAudio): void {
    const leg = call.caller.leg;
    if (w.unlisten || !leg) return;
    const onKey = (digit: string) => this.waitingKey(call, digit);
    leg.on('digit', onKey);
    call.onWaitingDigit = onKey;
    w.unlisten = () => {
      leg.off('digit', onKey);
      if (call.onWaitingDigit === onKey) call.onWaitingDigit = null;
    };
  }

  private waitingKey(call: B2buaCall, digit: string): void {
    const w = this.waitingAudio.get(call.uuid);
    if (!w || w.stopped) return;
    if (w.keys) {
      // Keys typed over a prompt skip it (the caller knows what to press).
      w.keys.push(digit);
      w.announcement?.stop();
      return;
    }
    if (digit !== '1' || !w.offered || !this.virtualHold) return;
    this.takeCallbackRequest(call, w).catch((err) =>
      this.deps.logger.warn({ err, call: call.uuid }, 'queued callback request failed'),
    );
  }

  /**
   * The caller pressed 1 after the offer: they confirm their own number (1) or give another (2,
   * then the number and #). A placeholder then takes their place in the queue (the service stores
   * it), they hear the confirmation and the call ends (`queued_callback`). While they choose they
   * still wait: an agent taking the call ends the dialogue. A bad or missing answer puts them
   * back to the music.
   */
  private async takeCallbackRequest(call: B2buaCall, w: WaitingAudio): Promise<void> {
    const port = this.virtualHold;
    const leg = call.caller.leg;
    if (!port || !leg || leg.closed) return;
    const keys = new DigitBuffer();
    w.keys = keys;
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    w.announcement?.stop();
    w.announcement = null;
    this.media.stopPlayback(leg);
    w.music = null;
    const still = () =>
      !w.stopped &&
      w.keys === keys &&
      !leg.closed &&
      call.state === 'setup' &&
      this.deps.queues.whereWaiting(call.uuid) !== null;
    const say = async (names: string[]): Promise<boolean> => {
      if (!still()) return false;
      const prompt = this.media.play(leg, names);
      w.announcement = prompt;
      await prompt.done;
      if (w.announcement === prompt) w.announcement = null;
      return still();
    };
    const own = call.init.callerNumber ? this.engine.router.e164(call.init.callerNumber) : null;
    let number: string | null = null;
    let other = own === null;
    if (own !== null) {
      if (!(await say(['virtual-hold-we-will-call', ...digitPrompts(own), 'virtual-hold-confirm-or-change'])))
        return this.resumeWaiting(call, w, keys);
      const choice = await keys.collect({ maxDigits: 1, firstDigitTimeoutMs: 10_000 });
      if (choice.digits === '1') number = own;
      other = choice.digits === '2';
    }
    if (other && still()) {
      if (!(await say(['virtual-hold-enter-number']))) return this.resumeWaiting(call, w, keys);
      const entry = await keys.collect({
        maxDigits: 20,
        terminator: '#',
        firstDigitTimeoutMs: 15_000,
        interDigitTimeoutMs: 5_000,
      });
      number = entry.digits ? this.engine.router.e164(entry.digits) : null;
      if (number === null) {
        await say(['invalid-number']);
        return this.resumeWaiting(call, w, keys);
      }
    }
    const where = this.deps.queues.whereWaiting(call.uuid);
    if (number === null || !still() || !where) return this.resumeWaiting(call, w, keys);
    const waiting = this.deps.queues.waiting(where.queueId).find((c) => c.call.callId === call.uuid);
    const kept = await port.accept(
      where.queueId,
      {
        callId: call.uuid,
        callerNumber: call.init.callerNumber,
        callerName: waiting?.call.callerName ?? null,
      },
      number,
    );
    if (!kept) return this.resumeWaiting(call, w, keys);
    // The place is the placeholder's now: the caller hears it is kept, and is released.
    this.stopWaitingAudio(call);
    if (!leg.closed && call.state === 'setup') {
      const confirmed = this.media.play(leg, 'virtual-hold-confirmed');
      const cap = setTimeout(() => confirmed.stop(), MESSAGE_CAP_MS);
      await confirmed.done;
      clearTimeout(cap);
    }
    await call.hangup('system', 'queued_callback');
  }

  /** The callback dialogue ended without a request: hold music and announcements again. */
  private resumeWaiting(call: B2buaCall, w: WaitingAudio, keys: DigitBuffer): void {
    if (w.keys !== keys) return;
    w.keys = null;
    keys.close();
    const leg = call.caller.leg;
    if (
      w.stopped ||
      !leg ||
      leg.closed ||
      call.state !== 'setup' ||
      !this.deps.queues.whereWaiting(call.uuid)
    )
      return;
    w.music = this.media.play(leg, w.musicName, { loop: true });
    this.scheduleAnnouncement(call, w, false);
  }

  /** Overflow to an extension: ring it with the caller still hearing hold music. */
  private async ringExtension(call: B2buaCall, extension: string, queueId: number): Promise<void> {
    try {
      const info = await this.engine.router.extension(extension);
      const contacts = this.engine.router.contacts(extension);
      if (!info || contacts.length === 0) {
        await call.hangup('system', 'overflow_not_registered');
        return;
      }
      const from = await this.engine.presentTo(info, call.init.callerNumber, 'anonymous');
      const queueName = this.deps.queues.dispatcher(queueId)?.queueConfig.name ?? String(queueId);
      const fork = new InviteFork(this.deps.sip, this.media, {
        targets: contacts.map(contactTarget),
        from,
        to: `<sip:${info.number}@${this.deps.sip.host}>`,
        headers: [['X-Switchboard-Queue', queueName.replace(/[\r\n]/g, ' ')], callIdHeader(call.uuid)],
        timeoutMs: 30_000,
      });
      call.fork = fork;
      const out = await fork.start();
      if (call.fork === fork) call.fork = null;
      if (out.kind === 'failed') {
        await call.hangup('system', 'overflow_no_answer');
        return;
      }
      const agent = new Party('agent', info.number, info);
      this.stopWaitingAudio(call);
      call.join(agent);
      if (!(await call.connectAgent(agent, out))) call.leave(agent, 'left');
    } catch (err) {
      this.deps.logger.error({ err, call: call.uuid }, 'queue overflow to extension failed');
      await call.hangup('system', 'internal_error');
    }
  }

  private ended(call: B2buaCall): void {
    this.flowWaitOver(call.uuid);
    if (call.init.queueId == null) return;
    this.stopWaitingAudio(call);
    this.deps.queues.hangup(call.uuid);
    this.onArrival.delete(call.uuid);
  }
}

import type { CallQuality, MediaPlane, PlaneLeg, PlanePlayback } from '@switchboard/media';
import type { CallLegStatus } from '@switchboard/shared';
import type { IncomingRequest, SessionDialog } from '@switchboard/sip';
import { isHold } from '@switchboard/sip';
import type { CallLegsTable, Disposition } from '../../db/schema';
import type { Logger } from '../../observability/logger';
import type { InviteFork } from '../calls/invite-fork';
import { legForOffer } from '../calls/media-session';
import { type CollectOptions, type CollectResult, DigitBuffer } from './digit-buffer';
import { type Prompt, promptNames } from './spoken-values';

export type LegRole = CallLegsTable['role'];

/** A status after which the leg can do nothing more. */
export const FINAL_LEG_STATUSES: ReadonlySet<CallLegStatus> = new Set([
  'busy',
  'no_answer',
  'rejected',
  'failed',
  'ended',
]);

/** How a `play` ended: the whole prompt, stopped by a digit (barge-in), or the leg went away. */
export type PlayEnd = 'finished' | 'interrupted' | 'hangup';

/** What a leg needs from the call it belongs to. */
export interface LegHost {
  readonly media: MediaPlane;
  readonly logger: Logger;
  /** Every status change (the call writes the leg row and publishes the event). */
  legChanged(leg: ScriptLeg): void;
}

const SDP = 'application/sdp';

/** RFC 2976/6086 INFO DTMF (application/dtmf-relay, `Signal=5`) as desk phones and carriers send it. */
function infoDigit(body: string): string | null {
  const m = /Signal\s*=\s*([0-9*#A-D])/i.exec(body);
  return m ? m[1]!.toUpperCase() : null;
}

/**
 * One leg of a call script: a party the server called (`originate`) or a caller it took in (an
 * inbound route handed to a script). It has a live status with a cause for each end, and once
 * connected it can hear prompts, type digits (RFC 4733 events or SIP INFO), be bridged to another
 * leg and be hung up. Everything it holds (dialog, media leg, timers) is released when it ends.
 */
export class ScriptLeg {
  status: CallLegStatus;
  cause: string | null = null;
  answeredAt: number | null = null;
  endedAt: number | null = null;
  /** Who ended it: the far end, the script, or the system (timeouts, shutdown). */
  endedBy: 'remote' | 'script' | 'system' | null = null;
  dialog: SessionDialog | null = null;
  media: PlaneLeg | null = null;
  /** RTCP figures taken just before the media leg closed (for the CDR). */
  quality: CallQuality | null = null;
  /** The call_legs row (set once written). */
  rowId: Promise<number | null> = Promise.resolve(null);
  readonly digits = new DigitBuffer();
  /** @internal The ringing in progress (outbound legs). */
  fork: InviteFork | null = null;
  /** @internal While bridged, digits go to the bridge (sequence detection, relay) instead of the buffer. */
  divert: ((digit: string) => void) | null = null;
  private playback: PlanePlayback | null = null;
  private readonly statusListeners = new Set<(leg: ScriptLeg) => void>();
  private readonly endWaiters: Array<() => void> = [];
  private readonly settleWaiters: Array<(s: CallLegStatus) => void> = [];

  constructor(
    private readonly host: LegHost,
    /** The call_legs.leg_uuid. */
    readonly id: string,
    readonly role: LegRole,
    /** Who the leg reaches: the number or extension dialled, or the caller's number. */
    readonly number: string | null,
    readonly direction: 'outbound' | 'inbound',
    /** The caller's INVITE, for an inbound leg until it is answered or refused. */
    private readonly incoming: IncomingRequest | null = null,
  ) {
    this.status = direction === 'inbound' ? 'alerting' : 'dialing';
    if (incoming) {
      incoming.onCancel = () => this.finish('ended', 'caller_cancel', 'remote');
    }
  }

  get connected(): boolean {
    return this.status === 'connected';
  }

  /** True from the moment the leg starts ending (its final status follows once media is closed). */
  get ended(): boolean {
    return this.over;
  }

  private over = false;

  /** Every status change, including the final one. */
  onStatus(listener: (leg: ScriptLeg) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Resolves with `connected`, or with the final status if the leg never connected. */
  outcome(): Promise<CallLegStatus> {
    if (this.connected || FINAL_LEG_STATUSES.has(this.status)) return Promise.resolve(this.status);
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  /** Resolves once the leg has ended (whatever the reason). */
  done(): Promise<void> {
    if (FINAL_LEG_STATUSES.has(this.status)) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** @internal */
  setStatus(status: CallLegStatus, cause: string | null = null): void {
    if (FINAL_LEG_STATUSES.has(this.status) || this.status === status) return;
    if (this.status === 'connected' && !FINAL_LEG_STATUSES.has(status)) return;
    if (this.over && !FINAL_LEG_STATUSES.has(status)) return;
    this.status = status;
    if (cause !== null) this.cause = cause;
    if (status === 'connected') this.answeredAt ??= Date.now();
    this.host.legChanged(this);
    for (const l of this.statusListeners) l(this);
    if (status === 'connected' || FINAL_LEG_STATUSES.has(status))
      for (const w of this.settleWaiters.splice(0)) w(status);
  }

  // ---- inbound: the caller's INVITE -------------------------------------------------------------

  /** Tells the caller it rings (180). */
  ring(): void {
    if (this.incoming && !this.incoming.answered && !this.ended) this.incoming.progress(180);
  }

  /** Answers the caller (200 with our SDP). false when the caller left or its offer is unusable. */
  async answer(): Promise<boolean> {
    const inc = this.incoming;
    if (!inc || this.ended || inc.answered) return this.connected;
    const offer = inc.request.bodyText;
    let leg: PlaneLeg;
    let answer: string;
    try {
      if (!offer || inc.request.contentType !== SDP) throw new Error('INVITE without SDP offer');
      leg = await legForOffer(this.host.media, offer);
      try {
        answer = await leg.acceptOffer(offer);
      } catch (e) {
        leg.close();
        throw e;
      }
    } catch (err) {
      this.host.logger.info({ err: String(err), leg: this.id }, 'caller offer not acceptable');
      if (!inc.answered) inc.reply(488, { reason: 'Not Acceptable Here' });
      this.finish('failed', 'incompatible_media', 'system');
      return false;
    }
    if (this.ended || inc.answered) {
      leg.close();
      return false;
    }
    const dialog = inc.accept({ body: answer, contentType: SDP });
    if (dialog.state === 'terminated') {
      // RFC 3261 §9.2: a CANCEL that won the race leaves our 2xx unsent.
      leg.close();
      this.finish('ended', 'caller_cancel', 'remote');
      return false;
    }
    this.connect(dialog, leg);
    return true;
  }

  /** Refuses the caller with a final response (486 busy by default); the leg ends with `status`. */
  reject(code = 486, reason = 'Busy Here'): void {
    const inc = this.incoming;
    if (!inc || this.ended || this.connected) return;
    if (!inc.answered) inc.reply(code, { reason });
    const status: CallLegStatus = code === 486 || code === 600 ? 'busy' : code === 603 ? 'rejected' : 'ended';
    this.finish(
      status,
      code === 486 || code === 600 ? 'busy' : code === 603 ? 'rejected' : `refused_${code}`,
      'script',
    );
  }

  // ---- connected --------------------------------------------------------------------------------

  /** @internal The leg's dialog and media are up. */
  connect(dialog: SessionDialog, media: PlaneLeg): void {
    if (this.ended) {
      void dialog.bye().catch(() => {});
      media.close();
      return;
    }
    this.dialog = dialog;
    this.media = media;
    dialog.onRequest = (inc) => this.onDialogRequest(inc);
    dialog.onTerminated = (reason) => {
      if (reason === 'bye received' || reason === 'bye sent') return;
      this.finish('ended', `dialog_${reason.replace(/\W+/g, '_')}`, 'system');
    };
    media.on('digit', this.onMediaDigit);
    media.on('inactive', this.onMediaInactive);
    media.on('closed', this.onMediaClosed);
    this.setStatus('connected');
  }

  private readonly onMediaDigit = (digit: string): void => this.typed(digit);
  // No RTP for the inactivity period means the far end is gone without a BYE; no call may live forever.
  private readonly onMediaInactive = (): void => void this.hangup('media_timeout', 'system');
  private readonly onMediaClosed = (): void => {
    if (!this.ended) void this.hangup('media_failed', 'system');
  };

  /** True once the leg was handed to another owner (a queue call): it lives on there. */
  handedOver = false;

  /**
   * @internal Gives the connected leg's dialog and media to a new owner (the ACD) without ending
   * them: this leg stops listening and reports `ended` with cause `handed_over`.
   */
  release(): { dialog: SessionDialog; media: PlaneLeg } | null {
    const { dialog, media } = this;
    if (!this.connected || this.over || !dialog || !media) return null;
    this.handedOver = true;
    this.over = true;
    this.endedAt = Date.now();
    this.endedBy = 'script';
    this.cause = 'handed_over';
    this.digits.close();
    this.divert = null;
    this.stopPlayback();
    media.off('digit', this.onMediaDigit);
    media.off('inactive', this.onMediaInactive);
    media.off('closed', this.onMediaClosed);
    dialog.onRequest = undefined;
    dialog.onTerminated = undefined;
    this.setStatus('ended');
    for (const w of this.endWaiters.splice(0)) w();
    return { dialog, media };
  }

  private typed(digit: string): void {
    if (this.ended) return;
    if (this.divert) this.divert(digit);
    else this.digits.push(digit);
  }

  private onDialogRequest(inc: IncomingRequest): void {
    switch (inc.method) {
      case 'BYE':
        inc.reply(200);
        this.finish('ended', 'normal_clearing', 'remote');
        return;
      case 'INFO': {
        const digit =
          inc.request.contentType === 'application/dtmf-relay' ? infoDigit(inc.request.bodyText) : null;
        inc.reply(200);
        if (digit) this.typed(digit);
        return;
      }
      case 'INVITE':
      case 'UPDATE':
        void this.onReoffer(inc);
        return;
      case 'ACK':
        return;
      default:
        inc.reply(405);
    }
  }

  /** A re-INVITE or UPDATE (hold, a new address): answered from the same media leg. */
  private async onReoffer(inc: IncomingRequest): Promise<void> {
    const sdp = inc.request.bodyText;
    if (!this.media || !sdp) {
      inc.reply(inc.method === 'UPDATE' ? 200 : 488);
      return;
    }
    try {
      const answer = await this.media.acceptOffer(sdp);
      inc.reply(200, { body: answer, contentType: SDP });
      if (isHold(sdp)) this.host.logger.debug({ leg: this.id }, 'script leg put us on hold');
    } catch {
      if (!inc.answered) inc.reply(488);
    }
  }

  /**
   * Plays prompts and spoken values to the leg. With `bargeIn`, a digit stops the prompt (and stays
   * for the next `collect`); a digit typed before the prompt started skips it.
   */
  async play(prompts: Prompt | Prompt[], opts: { bargeIn?: boolean } = {}): Promise<PlayEnd> {
    const media = this.media;
    if (!this.connected || !media) return 'hangup';
    const names = promptNames(prompts);
    if (names.length === 0) return 'finished';
    if (opts.bargeIn && this.digits.pending.length > 0) return 'interrupted';
    this.stopPlayback();
    const playback = this.host.media.play(media, names);
    this.playback = playback;
    let interrupted = false;
    const offDigit = opts.bargeIn
      ? this.digits.onDigit(() => {
          interrupted = true;
          playback.stop();
        })
      : () => {};
    const ended = this.done().then(() => playback.stop());
    try {
      await Promise.race([playback.done, ended]);
    } finally {
      offDigit();
      if (this.playback === playback) this.playback = null;
    }
    if (this.ended) return 'hangup';
    return interrupted ? 'interrupted' : 'finished';
  }

  /** Ringback tone to the leg until the returned function is called (or the leg ends). */
  ringback(): () => void {
    if (!this.connected || !this.media) return () => {};
    this.stopPlayback();
    const tone = this.host.media.ringback(this.media);
    this.playback = tone;
    return () => {
      tone.stop();
      if (this.playback === tone) this.playback = null;
    };
  }

  stopPlayback(): void {
    this.playback?.stop();
    this.playback = null;
  }

  /** Collects digits (type-ahead counts); ends with `hangup` if the leg goes away meanwhile. */
  collect(opts: CollectOptions): Promise<CollectResult> {
    if (!this.connected) return Promise.resolve({ digits: '', end: 'hangup' });
    return this.digits.collect(opts);
  }

  /** Plays a prompt the caller may interrupt, then collects the answer. */
  async ask(prompts: Prompt | Prompt[], opts: CollectOptions): Promise<CollectResult> {
    if ((await this.play(prompts, { bargeIn: true })) === 'hangup') return { digits: '', end: 'hangup' };
    return this.collect(opts);
  }

  /**
   * Ends the leg from our side: stops the ringing (CANCEL) of a leg being dialled, refuses an
   * unanswered caller (480), or sends BYE on a connected one. Resolves once it has ended.
   */
  async hangup(cause = 'normal_clearing', by: 'script' | 'system' = 'script'): Promise<void> {
    if (this.ended) return;
    if (this.fork) {
      this.cause = cause;
      this.endedBy = by;
      this.fork.cancel();
      await this.done();
      return;
    }
    if (this.incoming && !this.connected) {
      if (!this.incoming.answered) this.incoming.reply(480, { reason: 'Temporarily Unavailable' });
      this.finish('ended', cause, by);
      await this.done();
      return;
    }
    const dialog = this.dialog;
    this.finish('ended', cause, by);
    if (dialog && dialog.state !== 'terminated') {
      dialog.onTerminated = undefined;
      void dialog.bye().catch(() => {});
    }
    await this.done();
  }

  /**
   * @internal The leg is over: final status and cause, digits and playback stopped, media closed
   * (after its quality figures were read), the call told. Runs once.
   */
  finish(status: CallLegStatus, cause: string, by: 'remote' | 'script' | 'system'): void {
    if (this.over) return;
    this.over = true;
    this.endedAt = Date.now();
    this.endedBy ??= by;
    this.cause ??= cause;
    this.digits.close();
    this.divert = null;
    this.stopPlayback();
    const media = this.media;
    const settle = () => {
      media?.off('digit', this.onMediaDigit);
      media?.off('inactive', this.onMediaInactive);
      media?.off('closed', this.onMediaClosed);
      media?.close();
      this.setStatus(status);
      for (const w of this.endWaiters.splice(0)) w();
    };
    if (!media || media.closed || this.answeredAt === null) {
      settle();
      return;
    }
    // Quality is read before the leg closes (the CDR keeps it); a slow answer does not hold the end.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => {
      timer = setTimeout(r, 500);
    });
    const read = Promise.resolve(media.quality()).then(
      (quality) => {
        this.quality = quality;
      },
      () => {},
    );
    void Promise.race([read, late]).then(() => {
      clearTimeout(timer);
      settle();
    });
  }

  /** The leg row's outcome: answered once connected, else from how it failed. */
  get disposition(): Disposition {
    if (this.answeredAt !== null) return 'answered';
    if (this.status === 'busy' || this.status === 'rejected') return 'busy';
    if (this.status === 'failed') return 'failed';
    return 'unanswered';
  }
}

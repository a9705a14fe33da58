// What every leg (plain RTP or WebRTC) exposes to bridge, player, recorder, mixer and the switch. A leg
// owns its outbound stream identity: whatever feeds it (the other leg, a prompt, the mixer), the peer sees
// one SSRC with continuous sequence numbers and timestamps, which is what RFC 3550 §8 and most SBCs and
// phones expect; a source change shows up only as a marker bit and a timestamp jump.

import { EventEmitter } from 'node:events';
import { type G711Law, STATIC_PT, transcodeInPlace } from '../codecs/g711';
import { DigitStream } from '../dtmf/digit-stream';
import { parseTelephoneEvent, planDigit, TelephoneEventDetector } from '../dtmf/telephone-event';
import { sharedClock } from '../player/media-clock';
import { ReceiveStats } from '../rtp/receive-stats';
import { type RtpHeaderView, randomSsrc } from '../rtp/rtp-packet';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Inbound audio: `buf[h.payloadOffset..h.payloadEnd]` is G.711 in `law`; `packet` says buf is a whole RTP packet we may rewrite. */
export type AudioSink = (
  from: MediaLeg,
  buf: Buffer,
  h: RtpHeaderView,
  law: G711Law,
  packet: boolean,
) => void;
/** Inbound telephone-event packets, for pass-through across a bridge. */
export type DtmfSink = (from: MediaLeg, buf: Buffer, h: RtpHeaderView) => void;

export interface CallQuality {
  packetsReceived: number;
  packetsSent: number;
  packetsLost: number;
  /** Fraction of expected packets lost, 0..1. */
  lossRate: number;
  jitterMs: number;
  /** Round-trip time from the peer's RTCP reports, when known. */
  rttMs: number | null;
  /** What the peer reports about our stream (its last report block). */
  remoteLossRate: number | null;
  remoteJitterMs: number | null;
}

export interface MediaLegEvents {
  digit: [digit: string];
  inactive: [silentMs: number];
  closed: [];
  connected: [];
}

export interface MediaLegOptions {
  id?: string;
  /** Report 'inactive' when nothing was received for this long; 0 disables. */
  inactivityTimeoutMs?: number;
  /** Mean RTCP report interval in seconds (RFC 3550 §6.2 suggests 5 s minimum for normal use). */
  rtcpIntervalS?: number;
}

let nextId = 1;
const live = new Set<MediaLeg>();
let housekeepingOff: (() => void) | null = null;
const HOUSEKEEPING_TICKS = 50; // once a second on the 20 ms clock
const slots: Set<MediaLeg>[] = Array.from({ length: HOUSEKEEPING_TICKS }, () => new Set());
/**
 * Arrival time of the packet being handed to a sink, -1 outside that call: the leg that forwards it
 * reuses the receiving leg's clock read instead of making a second one for the same packet.
 */
let packetArrivalMs = -1;

/**
 * Each leg is looked after once a second, in its own slot of the 50 ticks, so 1000 legs cost 20 leg
 * checks per tick instead of a 1000-leg burst (and 200 RTCP reports) every second.
 */
function housekeeping(tick: number): void {
  const bucket = slots[tick % HOUSEKEEPING_TICKS]!;
  if (bucket.size === 0) return;
  const now = performance.now();
  for (const leg of bucket) leg.housekeep(now);
}

export abstract class MediaLeg extends EventEmitter<MediaLegEvents> {
  readonly id: string;
  abstract readonly kind: 'rtp' | 'webrtc';
  /** Negotiated audio law and payload type for what we send; inbound accepts both laws by PT. */
  law: G711Law = 'PCMU';
  audioPt = 0;
  /** Negotiated telephone-event payload type (RFC 4733), null when the peer offered none. */
  dtmfPt: number | null = 101;
  /** Negotiated direction from our side. */
  direction: Direction = 'sendrecv';
  readonly digits = new DigitStream();
  readonly housekeepingSlot = Math.floor(Math.random() * HOUSEKEEPING_TICKS);
  audioSink: AudioSink | null = null;
  dtmfSink: DtmfSink | null = null;
  readonly recvStats = new ReceiveStats(8000);
  closed = false;

  /** Our outbound SSRC; a WebRTC leg adopts the one its SDP announces. */
  ssrc = randomSsrc();
  protected seq = (Math.random() * 0x10000) | 0;
  protected lastOutTs = (Math.random() * 0x100000000) >>> 0;
  protected lastOutWallMs = 0;
  private srcKey = -1;
  private srcOffset = 0;
  packetsSent = 0;
  octetsSent = 0;
  protected lastRxMs = performance.now();
  private inactiveReported = false;
  protected readonly inactivityTimeoutMs: number;
  private readonly detector = new TelephoneEventDetector();
  protected rttMs: number | null = null;
  protected remoteLossRate: number | null = null;
  protected remoteJitterMs: number | null = null;
  private rtcpCountdown: number;
  private readonly rtcpIntervalS: number;

  constructor(opts: MediaLegOptions = {}) {
    super();
    this.id = opts.id ?? `leg-${nextId++}`;
    this.inactivityTimeoutMs = opts.inactivityTimeoutMs ?? 30_000;
    this.rtcpIntervalS = Math.max(1, opts.rtcpIntervalS ?? 5);
    this.rtcpCountdown = this.nextRtcpCountdown();
    live.add(this);
    slots[this.housekeepingSlot]!.add(this);
    if (!housekeepingOff) housekeepingOff = sharedClock.subscribe(housekeeping);
  }

  /** SDP offer for the peer (ours to send). */
  abstract createOffer(): Promise<string>;
  /** Apply the peer's answer to our offer. */
  abstract acceptAnswer(sdp: string): Promise<void>;
  /** Apply the peer's offer (initial or re-INVITE) and return our answer. */
  abstract acceptOffer(sdp: string): Promise<string>;
  /** Put one RTP packet on the wire (already carrying our SSRC/seq/ts). */
  protected abstract transmit(buf: Buffer, h: OutHeader, packet: boolean): void;
  protected abstract sendRtcpReport(): void;
  protected abstract closeTransport(): void;

  get canSend(): boolean {
    return !this.closed && (this.direction === 'sendrecv' || this.direction === 'sendonly');
  }

  get canReceive(): boolean {
    return this.direction === 'sendrecv' || this.direction === 'recvonly';
  }

  /**
   * Map a source's timestamp into our outbound timeline. On a new source the offset is chosen so our
   * timestamps advance by the wall-clock time since our last packet (RFC 3550 §5.1: timestamps track
   * sampling time), so the receiver's jitter buffer sees a gap of the right length, not a jump.
   */
  protected mapTimestamp(srcKey: number, srcTs: number): number {
    // Called for every packet: no allocation; the "new source" marker is left in sourceChanged.
    const now = packetArrivalMs >= 0 ? packetArrivalMs : performance.now();
    this.sourceChanged = false;
    if (srcKey !== this.srcKey) {
      const elapsed = this.lastOutWallMs ? Math.max(20, Math.round((now - this.lastOutWallMs) * 8)) : 0;
      this.srcOffset = (this.lastOutTs + elapsed - srcTs) >>> 0;
      this.srcKey = srcKey;
      this.sourceChanged = true;
    }
    const ts = (srcTs + this.srcOffset) >>> 0;
    this.lastOutTs = ts;
    this.lastOutWallMs = now;
    return ts;
  }

  private sourceChanged = false;

  /**
   * Forward a packet received on another leg. `packet` true means buf is a whole received RTP packet we
   * may rewrite in place; the G.711 payload is converted when the two legs use different laws.
   */
  forwardAudio(buf: Buffer, h: RtpHeaderView, law: G711Law, packet: boolean): void {
    if (!this.canSend) return;
    if (law !== this.law) transcodeInPlace(law, this.law, buf, h.payloadOffset, h.payloadEnd);
    const ts = this.mapTimestamp(h.ssrc, h.timestamp);
    this.seq = (this.seq + 1) & 0xffff;
    this.out(buf, h, packet, this.audioPt, ts, this.sourceChanged || h.marker);
  }

  /** Forward a telephone-event packet from another leg, rewritten to our negotiated DTMF PT. */
  forwardDtmf(buf: Buffer, h: RtpHeaderView): void {
    if (!this.canSend || this.dtmfPt === null) return;
    const ts = this.mapTimestamp(h.ssrc, h.timestamp);
    this.seq = (this.seq + 1) & 0xffff;
    this.out(buf, h, true, this.dtmfPt, ts, h.marker);
  }

  private readonly outHeader: OutHeader = {
    payloadType: 0,
    sequence: 0,
    timestamp: 0,
    ssrc: 0,
    marker: false,
    payloadOffset: 0,
    payloadEnd: 0,
  };

  private out(buf: Buffer, h: RtpHeaderView, packet: boolean, pt: number, ts: number, marker: boolean): void {
    const o = this.outHeader;
    o.payloadType = pt;
    o.sequence = this.seq;
    o.timestamp = ts;
    o.ssrc = this.ssrc;
    o.marker = marker;
    o.payloadOffset = h.payloadOffset;
    o.payloadEnd = h.payloadEnd;
    this.packetsSent++;
    this.octetsSent += h.payloadEnd - h.payloadOffset;
    this.transmit(buf, o, packet);
  }

  private localTs = 0;
  private readonly localHeader: RtpHeaderView = {
    payloadType: 0,
    marker: false,
    sequence: 0,
    timestamp: 0,
    ssrc: -2,
    payloadOffset: 0,
    payloadEnd: 0,
  };

  /** Send locally generated audio (prompt, mixer output): one 20 ms frame of G.711 in our law. */
  sendFrame(payload: Buffer, samples = payload.length): void {
    if (!this.canSend) return;
    this.localTs = (this.localTs + samples) >>> 0;
    const h = this.localHeader;
    h.timestamp = this.localTs;
    h.payloadOffset = 0;
    h.payloadEnd = payload.length;
    const ts = this.mapTimestamp(-2, this.localTs);
    this.seq = (this.seq + 1) & 0xffff;
    this.out(payload, h, false, this.audioPt, ts, this.sourceChanged);
  }

  /**
   * Send a DTMF digit as RFC 4733 events, paced on the shared clock. All packets share the event's
   * start timestamp (§2.5.1.2). Resolves when the last end packet has been sent.
   */
  sendDigit(digit: string, durationMs = 100): Promise<void> {
    const plan = planDigit(digit, durationMs);
    return new Promise((resolve) => {
      if (this.dtmfPt === null || !this.canSend) return resolve();
      this.localTs = (this.localTs + 160) >>> 0;
      const eventTs = this.localTs;
      let i = 0;
      const h: RtpHeaderView = {
        payloadType: 0,
        marker: false,
        sequence: 0,
        timestamp: eventTs,
        ssrc: -3,
        payloadOffset: 0,
        payloadEnd: 4,
      };
      const off = sharedClock.subscribe(() => {
        const step = plan[i++];
        if (!step || this.closed || this.dtmfPt === null) {
          off();
          // Keep local audio time moving past the event so the next frame does not go back in time.
          this.localTs = (eventTs + plan.length * 160) >>> 0;
          return resolve();
        }
        const ts = this.mapTimestamp(-3, eventTs);
        this.seq = (this.seq + 1) & 0xffff;
        this.out(step.payload, h, false, this.dtmfPt, ts, step.marker);
      });
    });
  }

  async sendDigits(digits: string, durationMs = 100, gapMs = 60): Promise<void> {
    for (const d of digits) {
      await this.sendDigit(d, durationMs);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  }

  onDigit(listener: (digit: string) => void): () => void {
    return this.digits.onDigit(listener);
  }

  /** Called by transports with each inbound RTP packet that passed parsing/authentication. */
  protected receive(buf: Buffer, h: RtpHeaderView, packet: boolean): void {
    const now = performance.now();
    this.lastRxMs = now;
    this.inactiveReported = false;
    if (!this.canReceive) return;
    const pt = h.payloadType;
    if (pt === this.dtmfPt) {
      const ev = parseTelephoneEvent(buf, h.payloadOffset, h.payloadEnd);
      if (!ev) return;
      const digit = this.detector.push(h.ssrc, h.timestamp, ev);
      if (digit) {
        this.digits.emit(digit);
        this.emit('digit', digit);
      }
      this.dtmfSink?.(this, buf, h);
      return;
    }
    let law: G711Law;
    if (pt === this.audioPt) law = this.law;
    else if (pt === STATIC_PT.PCMU) law = 'PCMU';
    else if (pt === STATIC_PT.PCMA) law = 'PCMA';
    else return; // comfort noise, unknown PTs: dropped (RFC 3551 allows ignoring what we did not negotiate)
    this.recvStats.update(h.ssrc, h.sequence, h.timestamp, h.payloadEnd - h.payloadOffset, now);
    const sink = this.audioSink;
    if (!sink) return;
    packetArrivalMs = now;
    try {
      sink(this, buf, h, law, packet);
    } finally {
      packetArrivalMs = -1;
    }
  }

  quality(): CallQuality {
    const s = this.recvStats;
    const expected = s.expected;
    return {
      packetsReceived: s.received,
      packetsSent: this.packetsSent,
      packetsLost: s.lost,
      lossRate: expected > 0 ? s.lost / expected : 0,
      jitterMs: s.jitterMs,
      rttMs: this.rttMs,
      remoteLossRate: this.remoteLossRate,
      remoteJitterMs: this.remoteJitterMs,
    };
  }

  /**
   * A valid RTCP packet from the peer. It keeps the leg alive: RFC 3550 §6 has a peer that sends no RTP
   * (silence suppression, a caller listening to hold music) go on sending receiver reports, so it is
   * still there; only RTP and RTCP both stopping means the peer is gone.
   */
  protected noteRtcp(): void {
    this.lastRxMs = performance.now();
  }

  /** Once a second from the shared clock: inactivity detection and RTCP every ~5 s (RFC 3550 §6.2). */
  housekeep(now: number): void {
    if (this.closed) return;
    // A peer we put on hold (or that holds us with a=inactive/recvonly) sends nothing by design: the
    // inactivity clock only runs while the negotiated direction says media should be arriving.
    if (!this.canReceive) this.lastRxMs = now;
    const silent = now - this.lastRxMs;
    if (this.inactivityTimeoutMs > 0 && silent >= this.inactivityTimeoutMs && !this.inactiveReported) {
      this.inactiveReported = true;
      this.emit('inactive', Math.round(silent));
    }
    if (--this.rtcpCountdown <= 0) {
      this.rtcpCountdown = this.nextRtcpCountdown();
      try {
        this.sendRtcpReport();
      } catch {
        // RTCP is best effort
      }
    }
  }

  /**
   * Randomised interval (RFC 3550 §6.3.1 uses [0.5, 1.5] × the mean) so reports from thousands of legs
   * created together do not all fall on the same second.
   */
  private nextRtcpCountdown(): number {
    return Math.max(1, Math.round(this.rtcpIntervalS * (0.5 + Math.random())));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    live.delete(this);
    slots[this.housekeepingSlot]!.delete(this);
    if (live.size === 0 && housekeepingOff) {
      housekeepingOff();
      housekeepingOff = null;
    }
    this.audioSink = null;
    this.dtmfSink = null;
    try {
      this.closeTransport();
    } finally {
      this.emit('closed');
    }
  }
}

export type OutHeader = RtpHeaderView;

export function reverseDirection(d: Direction): Direction {
  if (d === 'sendonly') return 'recvonly';
  if (d === 'recvonly') return 'sendonly';
  return d;
}

// Browser leg: ICE + DTLS-SRTP by werift, media handling by us. We use werift for what is protocol
// machinery (ICE agent, DTLS handshake and fingerprint check, SRTP contexts) and keep the RTP path our
// own: packets go out through the DTLS transport directly, not through RTCRtpSender, because the sender
// rewrites every payload type to the primary codec (so RFC 4733 events would arrive as "PCMU") and keeps
// sending after a hold re-offer. See README.md for the full list of werift defects handled here.

import {
  type MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  type RtcpPacket,
  type RtcpRrPacket,
  type RtcpSrPacket,
  RtpHeader,
  type RtpPacket,
} from 'werift';
import type { G711Law } from '../codecs/g711';
import { buildReport, RTCP_RR, RTCP_SR, rttFromReport } from '../rtp/rtcp';
import { isRtcp, newHeaderView, parseRtp, RTP_HEADER_MIN, writeRtpHeader } from '../rtp/rtp-packet';
import { SRTP_AES128_CM_HMAC_SHA1_80, SRTP_TAG_LEN, SrtpContext } from '../srtp/srtp-context';
import {
  type Direction,
  MediaLeg,
  type MediaLegOptions,
  type OutHeader,
  reverseDirection,
} from './media-leg';
import { audioDirection, keepCandidates, restrictOfferToG711 } from './webrtc-sdp';

/** A STUN or TURN server for the leg's ICE, as RTCPeerConnection takes it. */
export interface IceServerOptions {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface WebRtcLegOptions extends MediaLegOptions {
  /** Address advertised in host candidates (SIP_PUBLIC_ADDRESS); also the bind address unless bindAddress is set. */
  publicAddress: string;
  bindAddress?: string;
  /** UDP port range for ICE sockets. */
  portRange?: [number, number];
  /** Codec preference: the first is primary in offers. */
  codecs?: G711Law[];
  /** Give up when ICE/DTLS is not connected within this time. */
  connectTimeoutMs?: number;
  /**
   * STUN/TURN servers the operator runs (a relay candidate for browsers that reach the switch only
   * through TURN). None by default: host candidates on the public address only.
   */
  iceServers?: IceServerOptions[];
  /**
   * Lean media path (default true): negotiate AES_CM_128_HMAC_SHA1_80 and run SRTP and RTP parsing
   * ourselves once DTLS is up, bypassing werift's per-packet pipeline. false keeps werift's path (used
   * by the tests that show werift's defects).
   */
  lean?: boolean;
}

/** The parts of werift's nominated ICE pair the lean path uses (not in werift's public types). */
interface NominatedPair {
  protocol: {
    transport?: { socket?: import('node:dgram').Socket; onData?: (data: Buffer, addr: unknown) => void };
  };
  remoteCandidate: { host: string; port: number };
}

const PT: Record<G711Law, number> = { PCMU: 0, PCMA: 8 };
const DTMF_PT = 101;

export class WebRtcLeg extends MediaLeg {
  readonly kind = 'webrtc' as const;
  readonly pc: RTCPeerConnection;
  private transceiver: RTCRtpTransceiver | null = null;
  private readonly publicAddress: string;
  /** Whether the operator's STUN/TURN servers are in use (their candidates are advertised). */
  private readonly ownIceServers: boolean;
  private readonly seenTracks = new WeakSet<MediaStreamTrack>();
  private readonly view = newHeaderView();
  private readonly outRtpHeader = new RtpHeader();
  private readonly connectTimeoutMs: number;
  private connectedPromise: Promise<void> | null = null;
  /** Inbound packets handed to us (after SRTP). */
  packetsIn = 0;
  /** SRTP packets dropped (authentication, replay, malformed) on the lean path. */
  dropped = 0;
  private readonly lean: boolean;
  private txSrtp: SrtpContext | null = null;
  private rxSrtp: SrtpContext | null = null;
  private send: ((buf: Buffer) => void) | null = null;
  /** True when the lean path reads and writes the nominated pair's UDP socket directly. */
  leanOnSocket = false;

  constructor(opts: WebRtcLegOptions) {
    super(opts);
    this.publicAddress = opts.publicAddress;
    this.ownIceServers = (opts.iceServers?.length ?? 0) > 0;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 15_000;
    this.lean = opts.lean ?? true;
    const prefs = opts.codecs ?? ['PCMU', 'PCMA'];
    this.law = prefs[0] ?? 'PCMU';
    this.audioPt = PT[this.law];
    this.dtmfPt = DTMF_PT;
    const audio = [
      ...prefs.map(
        (law) =>
          new RTCRtpCodecParameters({
            mimeType: `audio/${law}`,
            clockRate: 8000,
            channels: 1,
            payloadType: PT[law],
          }),
      ),
      new RTCRtpCodecParameters({
        mimeType: 'audio/telephone-event',
        clockRate: 8000,
        channels: 1,
        payloadType: DTMF_PT,
        parameters: '0-16',
      }),
    ];
    const bind = opts.bindAddress ?? opts.publicAddress;
    this.pc = new RTCPeerConnection({
      // werift's default ICE server is a public STUN host; a switch must not depend on (or leak to) it:
      // only the operator's own servers are used.
      iceServers: opts.iceServers ?? [],
      codecs: { audio, video: [] },
      iceInterfaceAddresses: { udp4: bind },
      iceAdditionalHostAddresses: [opts.publicAddress],
      icePortRange: opts.portRange,
      iceUseIpv6: false,
      headerExtensions: { audio: [], video: [] },
    });
    this.pc.onTrack.subscribe((track) => this.onTrack(track));
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        if (this.lean) this.startLeanPath();
        this.emit('connected');
      }
      if ((state === 'failed' || state === 'closed') && !this.closed) this.close();
    });
  }

  /**
   * werift fires onTrack again with the same track after a hold/resume renegotiation; subscribing again
   * would deliver every packet twice (double counts, duplicated forwarding). One subscription per track.
   */
  private onTrack(track: MediaStreamTrack): void {
    if (this.seenTracks.has(track)) return;
    this.seenTracks.add(track);
    track.onReceiveRtp.subscribe((rtp) => this.onRtp(rtp));
  }

  private onRtp(rtp: RtpPacket): void {
    if (this.closed) return;
    this.packetsIn++;
    const h = this.view;
    const hdr = rtp.header;
    h.payloadType = hdr.payloadType;
    h.marker = hdr.marker;
    h.sequence = hdr.sequenceNumber;
    h.timestamp = hdr.timestamp;
    h.ssrc = hdr.ssrc;
    h.payloadOffset = 0;
    h.payloadEnd = rtp.payload.length;
    this.receive(rtp.payload, h, false);
  }

  private async localSdp(): Promise<string> {
    await this.gathered();
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    return keepCandidates(sdp, [this.publicAddress], this.ownIceServers);
  }

  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((s) => {
        if (s === 'complete') {
          unSubscribe();
          resolve();
        }
      });
    });
  }

  async createOffer(direction: Direction = 'sendrecv'): Promise<string> {
    if (!this.transceiver) this.transceiver = this.pc.addTransceiver('audio', { direction });
    else this.transceiver.setDirection(direction);
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.restrictSrtpProfiles();
    return this.localSdp();
  }

  /** Must run before DTLS starts (it starts once ICE connects, after both descriptions are set). */
  private restrictSrtpProfiles(): void {
    if (!this.lean || !this.transceiver) return;
    // werift prefers AEAD_AES_128_GCM, which Node can only do with a new cipher per packet; the lean
    // path implements AES_CM_128_HMAC_SHA1_80 (RFC 3711's mandatory profile, offered by every browser).
    (this.transceiver.dtlsTransport as unknown as { srtpProfiles: number[] }).srtpProfiles = [
      SRTP_AES128_CM_HMAC_SHA1_80,
    ];
  }

  /**
   * Once DTLS-SRTP is up, take the keys (RFC 5764 §4.2 exporter, the same werift derived) and intercept
   * media datagrams from the ICE connection before werift's DTLS transport sees them. DTLS records and
   * SRTCP still go to werift.
   */
  private startLeanPath(): void {
    const dtls = this.transceiver?.dtlsTransport;
    const socket = dtls?.dtls;
    if (!dtls || !socket || socket.srtp.srtpProfile !== SRTP_AES128_CM_HMAC_SHA1_80 || this.rxSrtp) return;
    const keys = socket.extractSessionKeys(16, 14);
    this.txSrtp = new SrtpContext(keys.localKey, keys.localSalt);
    this.rxSrtp = new SrtpContext(keys.remoteKey, keys.remoteSalt);
    dtls.onRtcp.subscribe((p) => this.onRtcpPacket(p));
    const connection = dtls.iceTransport.connection;
    const isSrtp = (data: Buffer) => {
      const b0 = data[0] ?? 0;
      // RFC 7983 demultiplexing: 128..191 is RTP/RTCP; SRTCP stays with werift.
      return b0 >= 128 && b0 <= 191 && !isRtcp(data);
    };
    const onData = connection.onData;
    const weriftExecute = onData.execute.bind(onData);
    onData.execute = (data: Buffer) => {
      if (isSrtp(data)) this.onSrtp(data);
      else weriftExecute(data);
    };
    this.send = (buf) => {
      void connection.send(buf).catch(() => {});
    };
    // Shorter still: take media straight off the nominated pair's UDP socket (werift otherwise tries to
    // parse every datagram as STUN first) and send on it without werift's per-packet promise.
    const pair = (connection as unknown as { nominated?: NominatedPair }).nominated;
    const transport = pair?.protocol.transport;
    if (transport?.socket && typeof transport.onData === 'function' && pair) {
      const weriftUdp = transport.onData;
      transport.onData = (data: Buffer, addr: unknown) => {
        if (isSrtp(data)) this.onSrtp(data);
        else weriftUdp(data, addr);
      };
      const { host, port } = pair.remoteCandidate;
      const socket = transport.socket;
      this.send = (buf) => socket.send(buf, port, host);
      this.leanOnSocket = true;
    }
  }

  /** True once media runs on our own SRTP path. */
  get leanPath(): boolean {
    return this.rxSrtp !== null;
  }

  private onSrtp(data: Buffer): void {
    if (this.closed || !this.rxSrtp) return;
    const h = this.view;
    // Parse the header first (it is not encrypted) to learn its length, then authenticate and decrypt.
    if (!parseRtp(data, h)) {
      this.dropped++;
      return;
    }
    const plain = this.rxSrtp.unprotect(data, h.payloadOffset);
    if (!plain) {
      this.dropped++;
      return;
    }
    h.payloadEnd = plain.length;
    if (data[0]! & 0x20) {
      // padding (rare): re-parse the authenticated, decrypted packet
      if (!parseRtp(plain, h)) return;
    }
    this.packetsIn++;
    this.receive(plain, h, true);
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    this.afterNegotiation(sdp);
  }

  async acceptOffer(sdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: restrictOfferToG711(sdp) });
    this.transceiver ??= this.pc.getTransceivers().find((t) => t.kind === 'audio') ?? null;
    this.restrictSrtpProfiles();
    if (this.transceiver && this.transceiver.direction !== 'sendrecv')
      this.transceiver.setDirection('sendrecv');
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    this.afterNegotiation(sdp);
    return this.localSdp();
  }

  /** Take the negotiated codec, DTMF PT and direction from the finished offer/answer. */
  private afterNegotiation(remoteSdp: string): void {
    const t = this.transceiver;
    if (!t) throw new Error('no audio transceiver negotiated');
    // Chrome demultiplexes by the a=ssrc werift announced; packets on any other SSRC go to an
    // unsignalled stream that is never played out.
    this.ssrc = t.sender.ssrc;
    const codecs = t.codecs ?? [];
    const primary = codecs.find((c) => /^audio\/(pcmu|pcma)$/i.test(c.mimeType));
    if (!primary) throw new Error('WebRTC peer negotiated no G.711 codec');
    this.law = primary.mimeType.toUpperCase().endsWith('PCMA') ? 'PCMA' : 'PCMU';
    this.audioPt = primary.payloadType;
    const dtmf = codecs.find(
      (c) => c.mimeType.toLowerCase() === 'audio/telephone-event' && c.clockRate === 8000,
    );
    this.dtmfPt = dtmf ? dtmf.payloadType : null;
    // The direction the peer declared, reversed, bounded by ours: RFC 3264 §6.1.
    this.direction = reverseDirection(audioDirection(remoteSdp));
  }

  /** Resolves when ICE and DTLS are up. */
  connected(): Promise<void> {
    this.connectedPromise ??= new Promise<void>((resolve, reject) => {
      if (this.pc.connectionState === 'connected') return resolve();
      if (this.closed) return reject(new Error(`WebRTC leg ${this.id} closed`));
      const timer = setTimeout(() => {
        unSubscribe();
        reject(new Error(`WebRTC leg ${this.id} not connected within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      const { unSubscribe } = this.pc.connectionStateChange.subscribe((s) => {
        if (s === 'connected') {
          clearTimeout(timer);
          unSubscribe();
          resolve();
        } else if (s === 'failed' || s === 'closed') {
          clearTimeout(timer);
          unSubscribe();
          reject(new Error(`WebRTC leg ${this.id} ${s}`));
        }
      });
    });
    return this.connectedPromise;
  }

  protected transmit(buf: Buffer, h: OutHeader): void {
    if (this.txSrtp && this.send) {
      // One buffer for header, payload and tag, encrypted in place: one allocation and one copy per packet.
      const end = RTP_HEADER_MIN + h.payloadEnd - h.payloadOffset;
      const pkt = Buffer.allocUnsafe(end + SRTP_TAG_LEN);
      writeRtpHeader(pkt, h.payloadType, h.sequence, h.timestamp, h.ssrc, h.marker);
      buf.copy(pkt, RTP_HEADER_MIN, h.payloadOffset, h.payloadEnd);
      this.txSrtp.protectInPlace(pkt, RTP_HEADER_MIN, end);
      this.send(pkt);
      return;
    }
    const dtls = this.transceiver?.sender.dtlsTransport;
    if (dtls?.state !== 'connected') return;
    // One header object reused: werift's SRTP encrypt serializes it synchronously before any await.
    const hdr = this.outRtpHeader;
    hdr.payloadType = h.payloadType;
    hdr.sequenceNumber = h.sequence;
    hdr.timestamp = h.timestamp;
    hdr.ssrc = h.ssrc;
    hdr.marker = h.marker;
    const payload =
      h.payloadOffset === 0 && h.payloadEnd === buf.length
        ? buf
        : buf.subarray(h.payloadOffset, h.payloadEnd);
    void dtls.sendRtp(payload, hdr);
  }

  /**
   * On the lean path werift's receiver no longer sees our inbound stream, so we report ourselves: our
   * SR/RR bytes, protected by werift's SRTCP context. Browsers answer with report blocks about our stream,
   * which give the round-trip time (RFC 3550 §6.4.1) and their view of loss and jitter.
   */
  protected sendRtcpReport(): void {
    const dtls = this.transceiver?.dtlsTransport;
    if (!this.send || !dtls || dtls.state !== 'connected') return;
    const sender =
      this.packetsSent > 0
        ? { packets: this.packetsSent, octets: this.octetsSent, rtpTimestamp: this.lastOutTs }
        : null;
    this.send(dtls.srtcp.encrypt(buildReport(this.ssrc, sender, this.recvStats, `switchboard-${this.id}`)));
  }

  private onRtcpPacket(packet: RtcpPacket): void {
    this.noteRtcp(); // authenticated by werift's SRTCP context
    if (packet.type === RTCP_SR) {
      const sr = packet as RtcpSrPacket;
      this.recvStats.lastSrNtpMiddle = Number((sr.senderInfo.ntpTimestamp >> 16n) & 0xffffffffn);
      this.recvStats.lastSrArrivalMs = Date.now();
    }
    if (packet.type !== RTCP_SR && packet.type !== RTCP_RR) return;
    for (const block of (packet as RtcpRrPacket).reports) {
      if (block.ssrc !== this.ssrc) continue;
      this.rttMs =
        rttFromReport({
          ssrc: block.ssrc,
          fractionLost: block.fractionLost,
          cumulativeLost: block.packetsLost,
          extendedMax: block.highestSequence,
          jitter: block.jitter,
          lsr: block.lsr,
          dlsr: block.dlsr,
        }) ?? this.rttMs;
      this.remoteLossRate = block.fractionLost / 256;
      this.remoteJitterMs = block.jitter / 8;
    }
  }

  protected closeTransport(): void {
    void this.pc.close().catch(() => {});
  }
}

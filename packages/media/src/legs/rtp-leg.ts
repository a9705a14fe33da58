// Plain RTP/AVP leg (carrier trunks, desk phones) on a UDP port pair from the pool.

import type dgram from 'node:dgram';
import type { G711Law } from '../codecs/g711';
import { STATIC_PT } from '../codecs/g711';
import type { PortPool } from '../port-pool';
import { buildReport, parseRtcp, rttFromReport } from '../rtp/rtcp';
import { isRtcp, newHeaderView, parseRtp, RTP_HEADER_MIN, writeRtpHeader } from '../rtp/rtp-packet';
import { type Direction, MediaLeg, type MediaLegOptions, type OutHeader } from './media-leg';
import { type RtpNegotiation, type RtpSdpIdentity, rtpAcceptAnswer, rtpAnswer, rtpOffer } from './rtp-sdp';

export interface RtpLegOptions extends MediaLegOptions {
  pool: PortPool;
  /** Address the sockets bind to. */
  bindAddress?: string;
  /** Address written into SDP (the public address when behind NAT); defaults to bindAddress. */
  publicAddress?: string;
  /** Codec preference for offers and for choosing among offered codecs. */
  codecs?: G711Law[];
  /** Payload type we offer for telephone-event. */
  dtmfPt?: number;
  /**
   * Symmetric RTP / latching: send to wherever the peer's media actually comes from (NAT), instead of
   * the SDP address. Latches on the first valid RTP packet; afterwards packets from any other source
   * are dropped, so a stranger cannot hijack or inject into the stream.
   */
  latching?: boolean;
  /** o= session id; random unless the caller mirrors this leg's SDP elsewhere (the worker proxy). */
  sessionId?: number;
}

export class RtpLeg extends MediaLeg {
  readonly kind = 'rtp' as const;
  readonly port: number;
  readonly localAddress: string;
  private readonly publicAddress: string;
  private readonly rtp: dgram.Socket;
  private readonly rtcp: dgram.Socket;
  private readonly pool: PortPool;
  private readonly preference: G711Law[];
  private readonly offerDtmfPt: number;
  private readonly latching: boolean;
  private remoteAddress = '';
  private remotePort = 0;
  private remoteRtcpAddress = '';
  private remoteRtcpPort = 0;
  private latched = false;
  private connectedTo: string | null = null;
  private connecting = false;
  private sdpVersion = 0;
  private readonly sessionId: number;
  private readonly view = newHeaderView();
  /** Packets dropped as malformed or from an unexpected source. */
  dropped = 0;

  static async create(opts: RtpLegOptions): Promise<RtpLeg> {
    const bindAddress = opts.bindAddress ?? '127.0.0.1';
    const pair = await opts.pool.bindPair(bindAddress);
    return new RtpLeg(opts, pair.rtp, pair.rtcp, pair.port, bindAddress);
  }

  private constructor(
    opts: RtpLegOptions,
    rtp: dgram.Socket,
    rtcp: dgram.Socket,
    port: number,
    bindAddress: string,
  ) {
    super(opts);
    this.pool = opts.pool;
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.port = port;
    this.localAddress = bindAddress;
    this.publicAddress = opts.publicAddress ?? bindAddress;
    this.preference = opts.codecs ?? ['PCMU', 'PCMA'];
    this.offerDtmfPt = opts.dtmfPt ?? 101;
    this.latching = opts.latching ?? true;
    this.sessionId = opts.sessionId ?? Math.floor(Math.random() * 1e9);
    this.law = this.preference[0] ?? 'PCMU';
    this.audioPt = STATIC_PT[this.law];
    this.dtmfPt = this.offerDtmfPt;
    rtp.on('message', this.onRtpMessage);
    rtcp.on('message', this.onRtcpMessage);
    // Socket errors (ICMP unreachable surfacing as ECONNREFUSED etc.) must not crash the process.
    rtp.on('error', () => {});
    rtcp.on('error', () => {});
  }

  /** Point the leg at a peer without SDP (tests, bench, or when the switch already parsed SDP). */
  setRemote(address: string, port: number, rtcpPort = port + 1): void {
    this.remoteAddress = address;
    this.remotePort = port;
    this.remoteRtcpAddress = address;
    this.remoteRtcpPort = rtcpPort;
    this.latched = false;
    this.disconnectSocket();
    if (!this.latching) this.connectSocket();
  }

  /**
   * Once the peer is known (latched, or fixed when latching is off) the RTP socket is connect()ed to it:
   * the kernel then drops datagrams from anyone else before they reach us (floods cost no JS), and
   * sends skip Node's per-packet address lookup.
   */
  private connectSocket(): void {
    const target = `${this.remoteAddress}:${this.remotePort}`;
    if (this.connectedTo === target || this.connecting || !this.remotePort || this.closed) return;
    this.connecting = true;
    this.rtp.connect(this.remotePort, this.remoteAddress, () => {
      this.connecting = false;
      if (this.closed) return;
      if (`${this.remoteAddress}:${this.remotePort}` === target) {
        this.connectedTo = target;
        return;
      }
      // The target moved while the connect was in flight (re-INVITE): undo it and follow the new one.
      try {
        this.rtp.disconnect();
      } catch {
        // already disconnected
      }
      this.connectedTo = null;
      if (!this.latching || this.latched) this.connectSocket();
    });
  }

  private disconnectSocket(): void {
    // A connect still in flight is undone by its own callback when it finds the target changed.
    if (this.connectedTo === null) return;
    try {
      this.rtp.disconnect();
    } catch {
      // not connected
    }
    this.connectedTo = null;
  }

  /** Choose codec and payload types without SDP. */
  configure(opts: { law?: G711Law; audioPt?: number; dtmfPt?: number | null; direction?: Direction }): void {
    if (opts.law) {
      this.law = opts.law;
      this.audioPt = opts.audioPt ?? STATIC_PT[opts.law];
    }
    if (opts.dtmfPt !== undefined) this.dtmfPt = opts.dtmfPt;
    if (opts.direction) this.direction = opts.direction;
  }

  get remote(): { address: string; port: number } {
    return { address: this.remoteAddress, port: this.remotePort };
  }

  private get identity(): RtpSdpIdentity {
    return {
      address: this.publicAddress,
      port: this.port,
      preference: this.preference,
      offerDtmfPt: this.offerDtmfPt,
      sessionId: this.sessionId,
    };
  }

  async createOffer(direction: Direction = 'sendrecv'): Promise<string> {
    return rtpOffer(this.identity, this.sdpVersion++, direction);
  }

  async acceptAnswer(sdp: string): Promise<void> {
    this.apply(rtpAcceptAnswer(sdp));
  }

  async acceptOffer(sdp: string): Promise<string> {
    const { sdp: answer, negotiation } = rtpAnswer(this.identity, this.sdpVersion, sdp);
    this.sdpVersion++;
    this.apply(negotiation);
    return answer;
  }

  private apply(n: RtpNegotiation): void {
    const d = n.remote;
    this.applyRemote(d.address, d.port, d.rtcpMux ? d.port : (d.rtcpPort ?? d.port + 1));
    this.law = n.law;
    this.audioPt = n.audioPt;
    this.dtmfPt = n.dtmfPt;
    this.direction = n.direction;
  }

  private applyRemote(address: string, port: number, rtcpPort: number): void {
    if (address === '0.0.0.0' || port === 0) return; // hold: keep the old target, we just stop sending
    if (address === this.remoteAddress && port === this.remotePort && this.latched) return;
    this.setRemote(address, port, rtcpPort);
  }

  private readonly onRtpMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    if (this.closed) return;
    if (isRtcp(msg)) {
      this.onRtcpMessage(msg, rinfo); // rtcp-mux (RFC 5761)
      return;
    }
    const h = this.view;
    if (!parseRtp(msg, h)) {
      this.dropped++;
      return;
    }
    if (this.latched) {
      if (rinfo.port !== this.remotePort || rinfo.address !== this.remoteAddress) {
        this.dropped++;
        return;
      }
    } else if (this.latching) {
      // Only a packet that looks like our negotiated stream may move the target.
      const pt = h.payloadType;
      if (pt !== this.audioPt && pt !== this.dtmfPt && pt !== 0 && pt !== 8) {
        this.dropped++;
        return;
      }
      this.remoteAddress = rinfo.address;
      this.remotePort = rinfo.port;
      if (!this.remoteRtcpAddress) {
        this.remoteRtcpAddress = rinfo.address;
        this.remoteRtcpPort = rinfo.port + 1;
      }
      this.latched = true;
      this.connectSocket();
      this.emit('connected');
    } else if (this.remotePort && (rinfo.port !== this.remotePort || rinfo.address !== this.remoteAddress)) {
      this.dropped++;
      return;
    }
    this.receive(msg, h, true);
  };

  private readonly onRtcpMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    if (this.closed) return;
    if (this.latched && rinfo.address !== this.remoteAddress) return;
    const r = parseRtcp(msg);
    if (!r) return;
    this.noteRtcp();
    if (this.latching && rinfo.address === this.remoteAddress) {
      this.remoteRtcpAddress = rinfo.address;
      this.remoteRtcpPort = rinfo.port;
    }
    if (r.srNtpMiddle) {
      this.recvStats.lastSrNtpMiddle = r.srNtpMiddle;
      this.recvStats.lastSrArrivalMs = Date.now();
    }
    for (const block of r.reports) {
      if (block.ssrc !== this.ssrc) continue;
      this.rttMs = rttFromReport(block) ?? this.rttMs;
      this.remoteLossRate = block.fractionLost / 256;
      this.remoteJitterMs = block.jitter / 8;
    }
  };

  protected transmit(buf: Buffer, h: OutHeader, packet: boolean): void {
    if (!this.remotePort) return;
    if (packet && h.payloadOffset === RTP_HEADER_MIN && buf.length === h.payloadEnd) {
      // Fast path: the received packet becomes the sent packet, only the header words change.
      writeRtpHeader(buf, h.payloadType, h.sequence, h.timestamp, h.ssrc, h.marker);
      if (this.connectedTo) this.rtp.send(buf);
      else this.rtp.send(buf, this.remotePort, this.remoteAddress);
      return;
    }
    const hdr = Buffer.allocUnsafe(RTP_HEADER_MIN);
    writeRtpHeader(hdr, h.payloadType, h.sequence, h.timestamp, h.ssrc, h.marker);
    const parts = [hdr, buf.subarray(h.payloadOffset, h.payloadEnd)];
    if (this.connectedTo) this.rtp.send(parts);
    else this.rtp.send(parts, this.remotePort, this.remoteAddress);
  }

  protected sendRtcpReport(): void {
    if (!this.remoteRtcpPort || !this.remoteRtcpAddress) return;
    const sender =
      this.packetsSent > 0
        ? { packets: this.packetsSent, octets: this.octetsSent, rtpTimestamp: this.lastOutTs }
        : null;
    const pkt = buildReport(this.ssrc, sender, this.recvStats, `switchboard@${this.localAddress}`);
    this.rtcp.send(pkt, this.remoteRtcpPort, this.remoteRtcpAddress);
  }

  protected closeTransport(): void {
    this.rtp.close();
    this.rtcp.close();
    this.pool.release(this.port);
  }
}

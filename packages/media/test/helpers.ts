import dgram from 'node:dgram';
import { buildRtp, isRtcp, newHeaderView, parseRtp, type RtpHeaderView } from '../src/rtp/rtp-packet';

/** A plain UDP RTP endpoint standing in for a phone or carrier. */
export class UdpPeer {
  readonly sock: dgram.Socket;
  readonly received: { h: RtpHeaderView; payload: Buffer; at: number }[] = [];
  private waiters: (() => void)[] = [];
  seq = 1000;
  ts = 50_000;
  readonly ssrc = 0x11223344;

  private constructor(sock: dgram.Socket) {
    this.sock = sock;
    sock.on('message', (msg) => {
      const h = newHeaderView();
      if (isRtcp(msg) || !parseRtp(msg, h)) return;
      this.received.push({
        h,
        payload: Buffer.from(msg.subarray(h.payloadOffset, h.payloadEnd)),
        at: performance.now(),
      });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async create(): Promise<UdpPeer> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    return new UdpPeer(sock);
  }

  get port(): number {
    return this.sock.address().port;
  }

  send(
    port: number,
    pt: number,
    payload: Buffer,
    opts: { ts?: number; marker?: boolean; ssrc?: number } = {},
  ): void {
    this.seq = (this.seq + 1) & 0xffff;
    if (opts.ts === undefined) this.ts += 160;
    this.sock.send(
      buildRtp(pt, this.seq, opts.ts ?? this.ts, opts.ssrc ?? this.ssrc, payload, opts.marker),
      port,
      '127.0.0.1',
    );
  }

  raw(port: number, buf: Buffer): void {
    this.sock.send(buf, port, '127.0.0.1');
  }

  /** Resolves when at least n packets arrived (matching the filter), or rejects after timeoutMs. */
  async waitFor(
    n: number,
    filter: (p: { h: RtpHeaderView; payload: Buffer }) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.received.filter(filter).length < n) {
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${n} packets (have ${this.received.filter(filter).length})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.sock.close();
  }
}

/** Send `count` packets at 20 ms intervals. */
export async function stream(
  peer: UdpPeer,
  port: number,
  pt: number,
  count: number,
  byte = 0x55,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    peer.send(port, pt, Buffer.alloc(160, byte));
    await new Promise((r) => setTimeout(r, 20));
  }
}

// RTP ports come in pairs (even for RTP, odd for RTCP: RFC 3550 §11) from a configured range. Ports are
// handed out round-robin so a port just released is not reused at once — late packets from the previous
// call then land on a closed port instead of in the next call.

import dgram from 'node:dgram';

export interface PortPoolOptions {
  min: number;
  max: number;
}

export interface BoundPair {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  port: number;
}

export class PortPool {
  readonly min: number;
  readonly max: number;
  private next: number;
  private readonly inUse = new Set<number>();

  constructor(opts: PortPoolOptions) {
    if (opts.min < 1024 || opts.max > 65535 || opts.max - opts.min < 1) {
      throw new Error(`invalid RTP port range ${opts.min}-${opts.max}`);
    }
    this.min = opts.min + (opts.min % 2);
    this.max = opts.max;
    this.next = this.min;
  }

  get used(): number {
    return this.inUse.size;
  }

  get capacity(): number {
    return Math.floor((this.max - this.min + 1) / 2);
  }

  /** Bind an RTP/RTCP socket pair on the next free even port; tries every pair once before giving up. */
  async bindPair(address: string): Promise<BoundPair> {
    for (let attempts = 0; attempts < this.capacity; attempts++) {
      const port = this.next;
      this.next += 2;
      if (this.next + 1 > this.max) this.next = this.min;
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      try {
        const rtp = await bindSocket(address, port);
        try {
          const rtcp = await bindSocket(address, port + 1);
          return { rtp, rtcp, port };
        } catch (err) {
          rtp.close();
          throw err;
        }
      } catch {
        this.inUse.delete(port);
      }
    }
    throw new Error(`no free RTP port in ${this.min}-${this.max}`);
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}

function bindSocket(address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
    const onError = (err: Error) => {
      sock.close();
      reject(err);
    };
    sock.once('error', onError);
    sock.bind({ address, port, exclusive: true }, () => {
      sock.off('error', onError);
      resolve(sock);
    });
  });
}

import { createSocket, type Socket } from 'node:dgram';
import type { Flow, MessageSink, Transport } from './transport';

export interface UdpTransportOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Address advertised in Via/Contact when different from the bind address (NAT). */
  publicHost?: string;
}

/** SIP over UDP (RFC 3261 §18): one datagram per message; the transaction layer retransmits. */
export class UdpTransport implements Transport {
  readonly name = 'UDP' as const;
  readonly reliable = false;
  readonly messageOriented = true;
  sink: MessageSink | undefined;
  private socket: Socket;
  host: string;
  port = 0;

  private constructor(
    private readonly options: UdpTransportOptions,
    family: 'udp4' | 'udp6',
  ) {
    this.host = options.publicHost ?? options.host;
    this.socket = createSocket({ type: family, recvBufferSize: 4 * 1024 * 1024 });
    this.socket.on('message', (data, rinfo) => {
      const flow: Flow = {
        transport: 'UDP',
        remoteAddress: rinfo.address,
        remotePort: rinfo.port,
        localAddress: this.options.host,
        localPort: this.port,
      };
      this.sink?.(data, flow);
    });
    // ICMP errors and the like surface here; they must never take the process down.
    this.socket.on('error', () => {});
  }

  static async listen(options: UdpTransportOptions): Promise<UdpTransport> {
    const t = new UdpTransport(options, options.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      t.socket.once('error', reject);
      t.socket.bind(options.port, options.host, () => {
        t.socket.off('error', reject);
        resolve();
      });
    });
    t.port = t.socket.address().port;
    return t;
  }

  send(data: Buffer, host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(data, port, host, (err) => (err ? reject(err) : resolve()));
    });
  }

  connectionCount(): number {
    return 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

import { connect, createServer, type Server, type Socket } from 'node:net';
import { ConnectionCounter, type ConnectionLimits } from './connection-limits';
import { StreamFramer } from './stream-framer';
import type { Connection, Flow, MessageSink, Transport } from './transport';

export interface TcpTransportOptions {
  host: string;
  port: number;
  publicHost?: string;
  /** Connections idle for this long are closed (default 10 minutes; RFC 5626 keep-alives count as traffic). */
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Bounds on incoming connections (connections this side opens are not counted). */
  limits?: ConnectionLimits;
}

let nextId = 1;

class TcpConnection implements Connection {
  readonly id = `tcp-${nextId++}`;
  readonly transport = 'TCP' as const;
  readonly framer = new StreamFramer();
  closed = false;
  authenticated = false;
  authTimer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    readonly socket: Socket,
    readonly remoteAddress: string,
    readonly remotePort: number,
  ) {}
  markAuthenticated(): void {
    this.authenticated = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = undefined;
  }
  send(data: Buffer): void {
    if (this.closed) throw new Error('connection closed');
    this.socket.write(data);
  }
  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}

/**
 * SIP over TCP (RFC 3261 §18): connections are reused in both directions, keyed by the remote
 * address and port; messages are framed by Content-Length; CRLF keep-alives are answered.
 */
export class TcpTransport implements Transport {
  readonly name = 'TCP' as const;
  readonly reliable = true;
  readonly messageOriented = false;
  sink: MessageSink | undefined;
  host: string;
  port = 0;
  private server: Server;
  private readonly connections = new Map<string, TcpConnection>();
  private readonly pending = new Map<string, Promise<TcpConnection>>();
  private readonly incoming: ConnectionCounter;
  /** Incoming connections refused by the limits, for diagnostics. */
  refused = 0;

  private constructor(private readonly options: TcpTransportOptions) {
    this.host = options.publicHost ?? options.host;
    this.incoming = new ConnectionCounter(options.limits);
    this.server = createServer((socket) => {
      this.accept(socket);
    });
    this.server.on('error', () => {});
  }

  static async listen(options: TcpTransportOptions): Promise<TcpTransport> {
    const t = new TcpTransport(options);
    await new Promise<void>((resolve, reject) => {
      t.server.once('error', reject);
      t.server.listen(options.port, options.host, () => {
        t.server.off('error', reject);
        resolve();
      });
    });
    const addr = t.server.address();
    t.port = typeof addr === 'object' && addr ? addr.port : options.port;
    return t;
  }

  /** An incoming connection: counted against the limits, closed unless it authenticates in time. */
  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    if (this.incoming.acquire(address)) {
      this.refused++;
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    socket.once('close', () => this.incoming.release(address));
    const conn = this.adopt(socket);
    if (this.incoming.trusted(address)) conn.markAuthenticated();
    else if (this.incoming.authenticateWithinMs > 0) {
      conn.authTimer = setTimeout(() => {
        if (!conn.authenticated) conn.close();
      }, this.incoming.authenticateWithinMs);
      conn.authTimer.unref?.();
    }
  }

  private adopt(socket: Socket): TcpConnection {
    const conn = new TcpConnection(socket, socket.remoteAddress ?? '', socket.remotePort ?? 0);
    const key = `${conn.remoteAddress}:${conn.remotePort}`;
    this.connections.set(key, conn);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs ?? 600_000, () => socket.destroy());
    const flow: Flow = {
      transport: 'TCP',
      remoteAddress: conn.remoteAddress,
      remotePort: conn.remotePort,
      localAddress: socket.localAddress ?? this.options.host,
      localPort: socket.localPort ?? this.port,
      connection: conn,
    };
    socket.on('data', (chunk: Buffer) => {
      for (const ev of conn.framer.push(chunk)) {
        if (ev.type === 'message') this.sink?.(ev.data, flow);
        // RFC 5626 §3.5.1: answer a double-CRLF ping with a single CRLF pong.
        else if (ev.type === 'ping') socket.write('\r\n');
        else {
          socket.destroy();
          return;
        }
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      conn.closed = true;
      if (conn.authTimer) clearTimeout(conn.authTimer);
      if (this.connections.get(key) === conn) this.connections.delete(key);
    });
    return conn;
  }

  private open(host: string, port: number): Promise<TcpConnection> {
    const key = `${host}:${port}`;
    const existing = this.connections.get(key);
    if (existing && !existing.closed) return Promise.resolve(existing);
    let p = this.pending.get(key);
    if (p) return p;
    p = new Promise<TcpConnection>((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(
        () => socket.destroy(new Error('connect timeout')),
        this.options.connectTimeoutMs ?? 5000,
      );
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', reject);
        // A connection this side opened reaches a peer it chose: nothing to prove.
        const conn = this.adopt(socket);
        conn.markAuthenticated();
        resolve(conn);
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    }).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  async send(data: Buffer, host: string, port: number, connection?: Connection): Promise<void> {
    if (connection && !connection.closed && connection.transport === 'TCP') {
      connection.send(data);
      return;
    }
    const conn = await this.open(host, port);
    conn.send(data);
  }

  connectionCount(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

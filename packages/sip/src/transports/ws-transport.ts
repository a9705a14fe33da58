import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { ConnectionCounter, type ConnectionLimits } from './connection-limits';
import type { Connection, Flow, MessageSink, Transport } from './transport';

/** An accepted upgrade may name the group it belongs to (e.g. the user's session) for `maxPerGroup`. */
export type UpgradeDecision = boolean | { group: string };

export interface WebSocketTransportOptions {
  /** URL path the SIP endpoint answers on, e.g. '/sip'. */
  path: string;
  /** Decides whether an upgrade may proceed (e.g. check a session cookie or Origin). */
  verifyUpgrade?(req: IncomingMessage): UpgradeDecision | Promise<UpgradeDecision>;
  /** Bounds on connections; upgrades still being verified count against the per-address bound. */
  limits?: ConnectionLimits;
  /** Connections of one group (as named by verifyUpgrade) at most. */
  maxPerGroup?: number;
  /** Host written into Via/Contact; defaults to the HTTP server's address. */
  publicHost?: string;
  /**
   * The client's address when proxies stand in front of the HTTP server (X-Forwarded-For from one
   * the server trusts): limits, flows and the layers above key on it. The socket's peer by default.
   */
  clientAddress?(req: IncomingMessage): string;
  maxMessageSize?: number;
}

let nextId = 1;

class WsConnection implements Connection {
  readonly id = `ws-${nextId++}`;
  readonly transport = 'WS' as const;
  authenticated = false;
  authTimer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    readonly socket: WebSocket,
    readonly remoteAddress: string,
    readonly remotePort: number,
  ) {}
  markAuthenticated(): void {
    this.authenticated = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = undefined;
  }
  get closed(): boolean {
    return this.socket.readyState !== 1;
  }
  send(data: Buffer): void {
    if (this.closed) throw new Error('connection closed');
    // RFC 7118 §5.1: SIP messages travel as text frames (UTF-8), one message per frame.
    this.socket.send(data.toString('utf8'));
  }
  close(): void {
    this.socket.close();
  }
}

/**
 * SIP over WebSocket (RFC 7118). It does not listen by itself: it attaches to an existing HTTP
 * server's 'upgrade' event for one path, so the browser reaches SIP on the page's own origin.
 * Requests to a WebSocket peer can only travel over its open connection (its Contact host is
 * usually a made-up `.invalid` name), so the layer above keeps the flow of each dialog.
 */
export class WebSocketTransport implements Transport {
  readonly name = 'WS' as const;
  readonly reliable = true;
  readonly messageOriented = true;
  sink: MessageSink | undefined;
  host: string;
  port: number;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<WsConnection>();
  private readonly onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  private readonly counter: ConnectionCounter;
  private readonly groups = new Map<string, number>();
  /** Upgrades refused by the limits, for diagnostics. */
  refused = 0;

  constructor(
    private readonly server: HttpServer,
    private readonly options: WebSocketTransportOptions,
  ) {
    const addr = server.address();
    this.host = options.publicHost ?? (typeof addr === 'object' && addr ? addr.address : '127.0.0.1');
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.counter = new ConnectionCounter(options.limits);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageSize ?? 65_535,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    this.onUpgrade = (req, socket, head) => {
      void this.handleUpgrade(req, socket, head);
    };
    server.on('upgrade', this.onUpgrade);
  }

  private clientAddress(req: IncomingMessage): string {
    return this.options.clientAddress?.(req) ?? req.socket.remoteAddress ?? '';
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== this.options.path) return; // another upgrade handler owns this path
    const reject = (status: number, text: string) => {
      socket.on('error', () => {});
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    // RFC 7118 §4: the client must ask for the "sip" subprotocol.
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!protocols.includes('sip')) return reject(400, 'Bad Request');
    const address = this.clientAddress(req);
    // The slot is taken before the (possibly slow) verification so pending upgrades count too.
    const refusal = this.counter.acquire(address);
    if (refusal) {
      this.refused++;
      return reject(
        refusal === 'total' ? 503 : 429,
        refusal === 'total' ? 'Service Unavailable' : 'Too Many Requests',
      );
    }
    let released = false;
    let group: string | undefined;
    const release = () => {
      if (released) return;
      released = true;
      this.counter.release(address);
      if (group !== undefined) {
        const n = (this.groups.get(group) ?? 1) - 1;
        if (n <= 0) this.groups.delete(group);
        else this.groups.set(group, n);
      }
    };
    socket.once('close', release);
    let decision: UpgradeDecision = true;
    try {
      if (this.options.verifyUpgrade) decision = await this.options.verifyUpgrade(req);
    } catch {
      release();
      return reject(500, 'Internal Server Error');
    }
    if (!decision) {
      release();
      return reject(403, 'Forbidden');
    }
    if (typeof decision === 'object') {
      const n = this.groups.get(decision.group) ?? 0;
      if (this.options.maxPerGroup !== undefined && n >= this.options.maxPerGroup) {
        this.refused++;
        release();
        return reject(429, 'Too Many Requests');
      }
      group = decision.group;
      this.groups.set(group, n + 1);
    }
    if (socket.destroyed) return release();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = this.adopt(ws, req);
      ws.once('close', release);
      if (this.counter.trusted(address)) conn.markAuthenticated();
      else if (this.counter.authenticateWithinMs > 0) {
        conn.authTimer = setTimeout(() => {
          if (!conn.authenticated) ws.terminate();
        }, this.counter.authenticateWithinMs);
        conn.authTimer.unref?.();
      }
    });
  }

  private adopt(ws: WebSocket, req: IncomingMessage): WsConnection {
    const remoteAddress = this.clientAddress(req);
    const remotePort = req.socket.remotePort ?? 0;
    const conn = new WsConnection(ws, remoteAddress, remotePort);
    this.connections.add(conn);
    const flow: Flow = {
      transport: 'WS',
      remoteAddress,
      remotePort,
      localAddress: req.socket.localAddress ?? this.host,
      localPort: req.socket.localPort ?? this.port,
      connection: conn,
    };
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      void isBinary;
      // RFC 7118 has no keep-alive of its own, but some clients send CRLF; ignore blank frames.
      if (buf.length === 0 || (buf.length <= 4 && buf.toString().trim() === '')) return;
      this.sink?.(buf, flow);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      this.connections.delete(conn);
      if (conn.authTimer) clearTimeout(conn.authTimer);
    });
    return conn;
  }

  async send(data: Buffer, _host: string, _port: number, connection?: Connection): Promise<void> {
    if (connection?.transport !== 'WS' || connection.closed) {
      throw new Error('no open WebSocket connection to the target');
    }
    connection.send(data);
  }

  connectionCount(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    this.server.off('upgrade', this.onUpgrade);
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Attaches SIP over WebSocket to an HTTP server that is already listening. */
export function attachWebSocketTransport(
  server: HttpServer,
  options: WebSocketTransportOptions,
): WebSocketTransport {
  return new WebSocketTransport(server, options);
}

import type { IncomingMessage, Server as NodeHttpServer } from 'node:http';
import type { Socket } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '../observability/metrics';

export interface HttpConnectionCaps {
  /** Connections open at once (WebSocket and event streams included) before the reserve. */
  total: number;
  perAddress: number;
  /** Connections above `total` kept for health checks and sign-in only. */
  reserve: number;
  /**
   * A trusted proxy in front (TRUST_PROXY) carries every client's connections: the per-address cap
   * would shut them all out together, so it does not apply to the proxy (the total still does).
   */
  isProxy?: (address: string) => boolean;
}

/**
 * How long an idle keep-alive connection is kept. Node's 5 s default is shorter than the idle
 * timeouts of the proxies in front (HAProxy's `timeout server` is 60 s here) and of HTTP clients
 * that reuse connections: a client sending on a connection the server is just closing gets a reset
 * instead of an answer. The server must be the last to give up an idle connection.
 */
export const IDLE_KEEP_ALIVE_MS = 65_000;

/** What a connection in the reserve may ask for: the load balancer's check and signing in. */
const RESERVE_PATHS = new Set(['/healthz', '/readyz', '/api/auth/login']);

/**
 * Caps on HTTP connections (docs/security.md, "Connection limits"): per client address and in
 * total, with a reserve above the total that only serves `/healthz` and sign-in, so a flood of
 * connections (or of idle WebSockets and event streams) cannot take the health check and the way
 * in with it. Over the per-address cap, or past the reserve, a connection is closed at once.
 */
export class HttpConnectionLimits {
  private open = 0;
  private readonly perAddress = new Map<string, number>();
  private readonly reserveOnly = new WeakSet<Socket>();

  constructor(
    private readonly caps: HttpConnectionCaps,
    private readonly metrics?: Metrics,
  ) {}

  get openConnections(): number {
    return this.open;
  }

  /**
   * Counts the server's connections from now on. Call after every `upgrade` listener is attached:
   * they are wrapped so a connection in the reserve is not upgraded.
   */
  attach(server: NodeHttpServer): void {
    server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    server.prependListener('connection', (socket: Socket) => this.admit(socket));
    const upgrades = server.listeners('upgrade') as Array<(...args: unknown[]) => void>;
    server.removeAllListeners('upgrade');
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (this.reserveOnly.has(socket)) {
        this.metrics?.httpConnectionsRefused.inc({ reason: 'reserve' });
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      for (const l of upgrades) l.call(server, req, socket, head);
    });
  }

  /** A request on a connection taken from the reserve: only health and sign-in are answered. */
  readonly middleware: MiddlewareHandler = async (c, next) => {
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    if (socket && this.reserveOnly.has(socket) && !RESERVE_PATHS.has(c.req.path)) {
      this.metrics?.httpConnectionsRefused.inc({ reason: 'reserve' });
      c.header('Connection', 'close');
      c.header('Retry-After', '5');
      return c.json(
        {
          error: {
            code: 'server_busy',
            message: 'Too many connections; only sign-in and health are served now',
          },
        },
        503,
      );
    }
    await next();
  };

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const fromAddress = this.perAddress.get(address) ?? 0;
    const overAddressCap = fromAddress >= this.caps.perAddress && !this.caps.isProxy?.(address);
    if (overAddressCap || this.open >= this.caps.total + this.caps.reserve) {
      this.metrics?.httpConnectionsRefused.inc({
        reason: overAddressCap ? 'address' : 'total',
      });
      socket.destroy();
      return;
    }
    if (this.open >= this.caps.total) this.reserveOnly.add(socket);
    this.open++;
    this.perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      this.open--;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, left);
    });
  }
}

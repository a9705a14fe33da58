import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSystem } from './test-system';

/**
 * Every 127.x.y.z address is this machine (Linux routes the whole 127/8 to loopback), so the test
 * plays clients from distinct addresses without leaving it.
 */
const from = (n: number) => `127.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;

/**
 * The server's next `count` accepted connections (admitted or refused), as the server's own
 * sockets: their `close` comes after the connection limits have counted it.
 */
function connectionsSeen(server: net.Server, count: number): Promise<net.Socket[]> {
  return new Promise((resolve) => {
    const seen: net.Socket[] = [];
    const onConnection = (socket: net.Socket) => {
      seen.push(socket);
      if (seen.length < count) return;
      server.off('connection', onConnection);
      resolve(seen);
    };
    server.on('connection', onConnection);
  });
}

/** An idle connection that has sent half a request line, as a slow client or an attacker holds one. */
function idleConnection(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress }, () => {
      socket.write('GET /healthz HTTP/1.1\r\n');
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Resolves when the server closes `socket` without having answered anything. */
function closedUnanswered(socket: net.Socket): Promise<string> {
  let received = '';
  socket.on('data', (d) => {
    received += d.toString();
  });
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

/** One request on its own connection from `localAddress`. */
function request(
  port: number,
  localAddress: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method,
        path,
        agent: false,
        headers: payload ? { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('HTTP connection limits', () => {
  let sys: TestSystem;
  let port: number;
  let server: net.Server;
  const held: net.Socket[] = [];
  const serverSide: net.Socket[] = [];
  beforeAll(async () => {
    sys = await TestSystem.start('sqlite', {
      HTTP_MAX_CONNECTIONS: '12',
      HTTP_MAX_CONNECTIONS_PER_ADDRESS: '4',
      HTTP_RESERVED_CONNECTIONS: '3',
    });
    port = Number(new URL(sys.url).port);
    server = sys.system.http as unknown as net.Server;
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await sys?.stop();
  });

  async function hold(count: number, address: string): Promise<void> {
    const seen = connectionsSeen(server, count);
    for (let i = 0; i < count; i++) held.push(await idleConnection(port, address));
    serverSide.push(...(await seen));
  }

  async function release(): Promise<void> {
    const closed = serverSide
      .splice(0)
      .map((s) => (s.closed ? null : new Promise((r) => s.once('close', r))));
    for (const s of held.splice(0)) s.destroy();
    await Promise.all(closed);
    expect(sys.deps.metrics.httpConnectionsSource?.()).toBe(0);
  }

  it('closes a client address’s connections beyond its cap at once; other addresses are served', async () => {
    await hold(4, from(1));
    const seen = connectionsSeen(server, 1);
    const extra = await idleConnection(port, from(1));
    await seen;
    expect(await closedUnanswered(extra)).toBe('');
    expect((await request(port, from(2), 'GET', '/healthz')).status).toBe(200);
    const metrics = await request(port, '127.0.0.1', 'GET', '/metrics');
    expect(metrics.body).toMatch(/switchboard_http_connections_refused_total\{reason="address"\} 1/);
    await release();
  });

  it('keeps a reserve for health checks and sign-in when the total is taken, refuses the rest, and serves all again once it frees', async () => {
    // 12 connections from three addresses take the whole ordinary allowance.
    for (let a = 10; a < 13; a++) await hold(4, from(a));
    expect(sys.deps.metrics.httpConnectionsSource?.()).toBe(12);

    expect((await request(port, from(20), 'GET', '/healthz')).status).toBe(200);
    const login = await request(port, from(21), 'POST', '/api/auth/login', {
      username: 'alice',
      password: 'alice',
    });
    expect(login.status).toBe(200);
    const other = await request(port, from(22), 'GET', '/api/directory');
    expect(other.status).toBe(503);
    expect(JSON.parse(other.body).error.code).toBe('server_busy');

    // The reserve (3) taken as well: the next connection is closed unanswered.
    await hold(3, from(30));
    const seen = connectionsSeen(server, 1);
    const refused = await idleConnection(port, from(31));
    await seen;
    expect(await closedUnanswered(refused)).toBe('');

    await release();
    const after = await request(port, from(40), 'GET', '/api/directory');
    expect(after.status).not.toBe(503);
    const metrics = await request(port, '127.0.0.1', 'GET', '/metrics');
    expect(metrics.body).toMatch(/switchboard_http_connections_refused_total\{reason="total"\} 1/);
    expect(metrics.body).toMatch(/switchboard_http_connections_refused_total\{reason="reserve"\} 1/);
  });

  it('keeps an idle connection longer than the proxies and clients in front of it do', async () => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from(50) });
    socket.on('error', () => {});
    let head = '';
    const answered = new Promise<string>((resolve) =>
      socket.on('data', (d) => {
        head += d.toString();
        if (head.includes('\r\n\r\n')) resolve(head);
      }),
    );
    socket.write('GET /healthz HTTP/1.1\r\nHost: switchboard\r\nConnection: keep-alive\r\n\r\n');
    // HAProxy in front closes idle server connections after 60 s; the server must wait longer.
    expect(await answered).toMatch(/\r\nKeep-Alive: timeout=65\r\n/i);
    socket.destroy();
  });
});

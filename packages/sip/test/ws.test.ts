import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { attachWebSocketTransport } from '../src/index';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function upgradeStatus(url: string, protocols?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = protocols ? new WebSocket(url, protocols) : new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => {});
  });
}

describe('WebSocket transport upgrade (RFC 7118)', () => {
  it('requires the sip subprotocol, honours verifyUpgrade and leaves other paths alone', async () => {
    const http = createServer((_q, r) => r.end());
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const port = (http.address() as { port: number }).port;
    const ws = attachWebSocketTransport(http, {
      path: '/sip',
      verifyUpgrade: (req) => !req.url?.includes('deny'),
    });
    // Another upgrade handler owns /other.
    http.on('upgrade', (req, socket) => {
      if (req.url === '/other') socket.end('HTTP/1.1 418 Teapot\r\nContent-Length: 0\r\n\r\n');
    });
    cleanup.push(
      () => new Promise((r) => http.close(r)),
      () => ws.close(),
    );
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/sip`)).toBe(400);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/sip?deny=1`, 'sip')).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/other`, 'sip')).toBe(418);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/sip`, 'sip')).toBe(101);
  });
});

import { WebSocket } from 'ws';

/**
 * Opens a SIP WebSocket (with extra upgrade headers, as a proxy would add); resolves with the socket
 * once open, or the HTTP status that refused it.
 */
export function openSipSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'sip', { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, ws });
      ws.terminate();
    });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => resolve({ status: 0, ws }));
  });
}

// Memory per idle dialog and per TCP / WebSocket connection: `npx tsx bench/sip/memory.ts [dialogs] [connections]`.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SipStack } from '../../packages/sip/src/index';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const dialogs = Number(process.argv[2] ?? 5000);
const connections = Number(process.argv[3] ?? 2000);

function settle(): { heap: number; rss: number } {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}
const kb = (bytes: number) => (bytes / 1024).toFixed(2);
const waitUntil = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 100));
};

// --- idle dialogs: A calls B N times over UDP; every call stays up. Short timers let the
// transactions (which linger 64*T1 after a 2xx) finish, so what remains is the dialogs alone.
{
  const timers = { T1: 20, T2: 160, T4: 200 };
  const a = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'], timers });
  const b = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'], timers });
  b.onRequest = (inc) => {
    inc.progress(180);
    inc.accept({
      body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\n',
      contentType: 'application/sdp',
    });
  };
  // Warm up code paths so JIT and caches are not counted as dialog memory.
  for (let i = 0; i < 50; i++) {
    const r = await a.invite(
      a.createRequest('INVITE', `sip:b@127.0.0.1:${b.port}`, { from: 'sip:a@127.0.0.1' }),
    ).done;
    await r.dialog?.bye();
  }
  await waitUntil(() => a.transactions.clients.size + b.transactions.servers.size === 0);
  const before = settle();
  for (let done = 0; done < dialogs; done += 100) {
    await Promise.all(
      Array.from(
        { length: Math.min(100, dialogs - done) },
        () =>
          a.invite(a.createRequest('INVITE', `sip:b@127.0.0.1:${b.port}`, { from: 'sip:a@127.0.0.1' })).done,
      ),
    );
  }
  await waitUntil(
    () =>
      a.transactions.clients.size +
        a.transactions.servers.size +
        b.transactions.servers.size +
        b.transactions.clients.size ===
      0,
  );
  await waitUntil(() => [...b.dialogs.values()].every((d) => !d.awaitingAck));
  const after = settle();
  const n = a.dialogs.size + b.dialogs.size;
  console.log(
    `idle dialogs: ${n} (${a.dialogs.size} UAC + ${b.dialogs.size} UAS): ${kb((after.heap - before.heap) / n)} KiB heap per dialog, ` +
      `${kb((after.rss - before.rss) / n)} KiB RSS per dialog`,
  );
  await a.close();
  await b.close();
}

async function measureConnections(kind: 'tcp' | 'ws', target: string, count: () => number): Promise<void> {
  const before = settle();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'memory-clients.ts'), kind, target, String(connections)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
  );
  await waitUntil(() => count() === connections);
  const after = settle();
  console.log(
    `${kind === 'tcp' ? 'TCP' : 'WebSocket'} connections: ${count()}: ${kb((after.heap - before.heap) / connections)} KiB heap per connection, ` +
      `${kb((after.rss - before.rss) / connections)} KiB RSS per connection`,
  );
  child.kill();
  await new Promise((r) => child.on('exit', r));
}

// --- TCP connections, each having carried one OPTIONS.
{
  const s = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['TCP'] });
  s.onRequest = (inc) => inc.reply(200);
  await measureConnections('tcp', `127.0.0.1:${s.port}`, () => s.transport.get('TCP')!.connectionCount());
  await s.close();
}

// --- WebSocket connections on an HTTP server's /sip, each having carried one OPTIONS.
{
  const s = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
  s.onRequest = (inc) => inc.reply(200);
  const http = createServer((_q, r) => r.end());
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const ws = s.attachWebSocket(http, { path: '/sip' });
  const port = (http.address() as { port: number }).port;
  await measureConnections('ws', `ws://127.0.0.1:${port}/sip`, () => ws.connectionCount());
  await s.close();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
}

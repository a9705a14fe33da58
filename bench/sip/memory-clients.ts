// Child process for memory.ts: opens N TCP or WebSocket SIP connections, sends one OPTIONS on each,
// prints "ready" once every OPTIONS is answered, then holds the connections open until killed.
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';

const [kind, target, countText] = process.argv.slice(2);
const count = Number(countText);
let answered = 0;
const keep: Array<Socket | WebSocket> = [];

function options(i: number, transport: string): string {
  return (
    `OPTIONS sip:bench@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/${transport} 127.0.0.1:9;branch=z9hG4bK-mem-${i}\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:c${i}@127.0.0.1>;tag=t${i}\r\nTo: <sip:bench@127.0.0.1>\r\n` +
    `Call-ID: mem-${i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`
  );
}
const done = () => {
  if (++answered === count) console.log('ready');
};

for (let i = 0; i < count; i++) {
  if (kind === 'tcp') {
    const [host, port] = target!.split(':');
    const s = connect({ host, port: Number(port) }, () => s.write(options(i, 'TCP')));
    s.once('data', done);
    s.on('error', (e) => console.error(String(e)));
    keep.push(s);
  } else {
    const ws = new WebSocket(target!, 'sip');
    ws.on('open', () => ws.send(options(i, 'WS')));
    ws.once('message', done);
    ws.on('error', (e) => console.error(String(e)));
    keep.push(ws);
  }
  if (i % 200 === 199) await new Promise((r) => setImmediate(r));
}

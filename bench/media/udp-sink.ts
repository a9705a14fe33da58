// Receives and drops the hold music the relay plays (--players): a separate process, so the
// relay's sends cost what they cost on loopback without loading the generator.
import dgram from 'node:dgram';

const sink = dgram.createSocket('udp4');
await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
sink.setRecvBufferSize(8 * 1024 * 1024);
let received = 0;
sink.on('message', () => {
  received++;
});
process.send!({ port: sink.address().port });
process.on('message', (m: { op: 'count' | 'exit' }) => {
  if (m.op === 'exit') process.exit(0);
  process.send!({ received });
});

// The relay for callgrind.ts, in the main thread (callgrind serialises threads anyway): N bridged calls
// (`rtp`: RtpLeg↔RtpLeg, `echo`: the bare UDP forwarder of relay-worker.ts) toward the driver's two
// sockets. Prints one JSON line with the ports, then runs until killed.
import dgram from 'node:dgram';
import { Bridge, PortPool, RtpLeg } from '../../packages/media/src/index';

const [mode = 'rtp', callsArg = '20', remoteA = '0', remoteB = '0'] = process.argv.slice(2);
const calls = Number(callsArg);
const ports: [number, number][] = [];
const pool = new PortPool({ min: 40000, max: 59999 });

for (let i = 0; i < calls; i++) {
  if (mode === 'rtp') {
    const a = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
    const b = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
    a.setRemote('127.0.0.1', Number(remoteA));
    b.setRemote('127.0.0.1', Number(remoteB));
    new Bridge(a, b);
    ports.push([a.port, b.port]);
  } else {
    const a = dgram.createSocket('udp4');
    const b = dgram.createSocket('udp4');
    await Promise.all([
      new Promise<void>((r) => a.bind(0, '127.0.0.1', r)),
      new Promise<void>((r) => b.bind(0, '127.0.0.1', r)),
    ]);
    a.on('message', (m) => b.send(m, Number(remoteB), '127.0.0.1'));
    b.on('message', (m) => a.send(m, Number(remoteA), '127.0.0.1'));
    ports.push([a.address().port, b.address().port]);
  }
}
console.log(JSON.stringify({ ports }));

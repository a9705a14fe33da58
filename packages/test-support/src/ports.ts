// Ports for tests that run side by side on one machine (vitest workers, Playwright, benches, and
// other checkouts' runs): every port comes from the OS and is checked before it is handed out, so
// no two runs meet on a fixed number.
import { createSocket, type Socket } from 'node:dgram';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';

/** A port free for both UDP and TCP on 127.0.0.1 (sipp and the SIP stack bind both). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, HOST, () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const u = await bindUdp(port);
    if (u) {
      await closeUdp(u);
      return port;
    }
  }
}

/**
 * The first port of `count` consecutive UDP ports on 127.0.0.1, each bound once to prove it free,
 * starting at an even port (RTP on even ports, RTCP on the odd one above): a media range for a
 * server, a port pool or a phone under test. Free when looked at: the caller binds them soon after.
 */
export async function freeUdpRange(count: number): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`freeUdpRange: bad count ${count}`);
  for (;;) {
    const base = (await freePort()) & ~1;
    if (base < 1024 || base + count - 1 > 65535) continue;
    const bound: Socket[] = [];
    let ok = true;
    for (let i = 0; i < count && ok; i++) {
      const u = await bindUdp(base + i);
      if (u) bound.push(u);
      else ok = false;
    }
    await Promise.all(bound.map(closeUdp));
    if (ok) return base;
  }
}

/**
 * An even port for sipp's `-mp` with the three above it free as well: sipp binds audio RTP and RTCP
 * and video RTP and RTCP there (p … p+3), and a busy p+2 makes it exit at once.
 */
export function freeMediaPorts(): Promise<number> {
  return freeUdpRange(4);
}

function bindUdp(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const u = createSocket('udp4');
    u.once('error', () => {
      try {
        u.close();
      } catch {
        // already closed by the failed bind
      }
      resolve(null);
    });
    u.bind(port, HOST, () => resolve(u));
  });
}

function closeUdp(u: Socket): Promise<void> {
  return new Promise((resolve) => u.close(() => resolve()));
}

// Ports for tests that run side by side on one machine (vitest workers, Playwright, benches, and
// other checkouts' runs): every port comes from the OS and is checked before it is handed out, so
// no two runs meet on a fixed number. Within one process, what was handed out is remembered and
// not handed out again: a range is often bound only later (a port pool binds on demand), and the OS
// would happily offer a port inside it in the meantime.
import { createSocket, type Socket } from 'node:dgram';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';

/** Ranges handed out by this process, oldest first: [first, last]. */
const handedOut: Array<[number, number]> = [];
let handedOutPorts = 0;
/** Past this many remembered ports the oldest are forgotten, so the search never runs dry. */
const REMEMBER_AT_MOST = 8000;

function overlapsHandedOut(first: number, last: number): boolean {
  return handedOut.some(([a, b]) => first <= b && a <= last);
}

function remember(first: number, last: number): void {
  handedOut.push([first, last]);
  handedOutPorts += last - first + 1;
  while (handedOutPorts > REMEMBER_AT_MOST && handedOut.length > 1) {
    const [a, b] = handedOut.shift()!;
    handedOutPorts -= b - a + 1;
  }
}

/** A port the OS offers for TCP on 127.0.0.1 (not yet checked for UDP). */
function osPort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** A port free for both UDP and TCP on 127.0.0.1 (sipp and the SIP stack bind both). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await osPort();
    if (overlapsHandedOut(port, port)) continue;
    const u = await bindUdp(port);
    if (!u) continue;
    await closeUdp(u);
    remember(port, port);
    return port;
  }
}

/**
 * The first port of `count` consecutive UDP ports on 127.0.0.1, each bound once to prove it free,
 * starting at an even port (RTP on even ports, RTCP on the odd one above): a media range for a
 * server, a port pool or a phone under test. Free when looked at, and never overlapping another
 * range or port this process was given: the caller binds them when it needs them.
 */
export async function freeUdpRange(count: number): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`freeUdpRange: bad count ${count}`);
  for (;;) {
    const base = (await osPort()) & ~1;
    const last = base + count - 1;
    if (base < 1024 || last > 65535 || overlapsHandedOut(base, last)) continue;
    const bound: Socket[] = [];
    let ok = true;
    for (let p = base; p <= last && ok; p++) {
      const u = await bindUdp(p);
      if (u) bound.push(u);
      else ok = false;
    }
    await Promise.all(bound.map(closeUdp));
    if (!ok) continue;
    remember(base, last);
    return base;
  }
}

/** `freeUdpRange(count)` as its first and last port: for RTP_PORT_MIN/MAX or a port pool. */
export async function freeRange(count: number): Promise<{ min: number; max: number }> {
  const min = await freeUdpRange(count);
  return { min, max: min + count - 1 };
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

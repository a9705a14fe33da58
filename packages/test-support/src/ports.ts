// Ports for tests that run side by side on one machine (vitest workers, Playwright, benches, and
// other checkouts' runs): every port comes from the OS and is checked before it is handed out, so
// no two runs meet on a fixed number. What was handed out is remembered and not handed out again,
// within the process and across processes: a range is often bound only later (a port pool binds on
// demand), and the OS would happily offer a port inside it in the meantime, to this process or to
// another vitest worker. Across processes a port's block is claimed with a file created
// exclusively in a shared directory; a claim whose process is gone is taken over.

import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

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
    releaseBlocks(a, b);
  }
}

/** Ports are claimed across processes in blocks of this many (a file each). */
export const BLOCK = 16;
export const CLAIMS_DIR = path.join(os.tmpdir(), 'switchboard-test-ports');
/** This process's claimed blocks, with how many remembered ranges use each. */
const claimed = new Map<number, number>();

function blocksOf(first: number, last: number): number[] {
  const out: number[] = [];
  for (let b = Math.floor(first / BLOCK); b <= Math.floor(last / BLOCK); b++) out.push(b);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the block's claim file; an existing one is taken over only when its process is gone. */
function claimFile(block: number, retakeStale = true): boolean {
  const file = path.join(CLAIMS_DIR, String(block));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let owner = 0;
  try {
    owner = Number(readFileSync(file, 'utf8'));
  } catch {
    // released meanwhile: try once more
  }
  // No owner yet: the other process is between creating the file and writing its pid.
  if (!(owner > 0) || owner === process.pid || !retakeStale || alive(owner)) return false;
  try {
    unlinkSync(file);
  } catch {
    // another process took it over first
  }
  return claimFile(block, false);
}

/**
 * Claims every block of the range for this process, or none of them when another process holds one
 * (exported for its tests; the port functions claim what they hand out).
 */
export function claimBlocks(first: number, last: number): boolean {
  if (!swept) sweepStaleClaims();
  const fresh: number[] = [];
  for (const b of blocksOf(first, last)) {
    if (claimed.has(b)) continue;
    if (!claimFile(b)) {
      for (const f of fresh) unlinkClaim(f);
      return false;
    }
    fresh.push(b);
    claimed.set(b, 0);
  }
  for (const b of blocksOf(first, last)) claimed.set(b, (claimed.get(b) ?? 0) + 1);
  return true;
}

let swept = false;

/**
 * Removes the claims of processes that are gone, once per process: a test worker is often ended
 * without its exit handlers running, and its claims would otherwise stay until a port search met them.
 */
function sweepStaleClaims(): void {
  swept = true;
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const owners = new Map<number, boolean>();
  for (const name of readdirSync(CLAIMS_DIR)) {
    const file = path.join(CLAIMS_DIR, name);
    try {
      const owner = Number(readFileSync(file, 'utf8'));
      // No owner yet: its process is between creating the file and writing its pid.
      if (!(owner > 0)) continue;
      if (!owners.has(owner)) owners.set(owner, alive(owner));
      if (!owners.get(owner)) unlinkSync(file);
    } catch {
      // released or taken over meanwhile
    }
  }
}

function unlinkClaim(block: number): void {
  claimed.delete(block);
  try {
    unlinkSync(path.join(CLAIMS_DIR, String(block)));
  } catch {
    // already gone
  }
}

export function releaseBlocks(first: number, last: number): void {
  for (const b of blocksOf(first, last)) {
    const uses = (claimed.get(b) ?? 1) - 1;
    if (uses > 0) claimed.set(b, uses);
    else unlinkClaim(b);
  }
}

process.once('exit', () => {
  for (const b of [...claimed.keys()]) unlinkClaim(b);
});

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
    if (!claimBlocks(port, port)) continue;
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
    if (!ok || !claimBlocks(base, last)) continue;
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

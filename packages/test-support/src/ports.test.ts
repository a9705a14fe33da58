import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BLOCK,
  CLAIMS_DIR,
  claimBlocks,
  freeMediaPorts,
  freePort,
  freeRange,
  freeUdpRange,
  releaseBlocks,
} from './ports';

const held: Socket[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

function bindUdp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(port, '127.0.0.1', () => {
      held.push(s);
      resolve(s);
    });
  });
}

describe('free ports', () => {
  it('freePort gives a port that binds for both TCP and UDP', async () => {
    const port = await freePort();
    await bindUdp(port);
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  });

  it('freeUdpRange gives an even base whose every port binds', async () => {
    const base = await freeUdpRange(40);
    expect(base % 2).toBe(0);
    for (let p = base; p < base + 40; p++) await bindUdp(p);
  });

  it('freeUdpRange never hands out a range with a port already taken', async () => {
    // Hold the ports of one range, then ask for ranges until the OS has offered bases near it:
    // none of the answers may overlap what is held.
    const taken = await freeUdpRange(8);
    for (let p = taken; p < taken + 8; p++) await bindUdp(p);
    for (let i = 0; i < 20; i++) {
      const base = await freeUdpRange(8);
      expect(base + 7 < taken || base > taken + 7, `range ${base}… overlaps ${taken}…`).toBe(true);
    }
  });

  it('ranges and ports handed out in one process never overlap, though nothing binds them', async () => {
    const given: Array<[number, number]> = [];
    for (let i = 0; i < 30; i++) {
      const { min, max } = await freeRange(100);
      expect(max - min).toBe(99);
      given.push([min, max]);
      const port = await freePort();
      given.push([port, port]);
    }
    for (const [i, [a, b]] of given.entries())
      for (const [c, d] of given.slice(i + 1)) expect(a > d || c > b, `${a}-${b} and ${c}-${d}`).toBe(true);
  });

  it('freeMediaPorts gives four ports for sipp -mp', async () => {
    const base = await freeMediaPorts();
    for (let p = base; p < base + 4; p++) await bindUdp(p);
  });

  it('refuses a count that is no range', async () => {
    await expect(freeUdpRange(0)).rejects.toThrow(/bad count/);
  });

  it('a block another running process claimed is not handed out; one whose process is gone is taken over', () => {
    // Blocks far below the ports the OS hands out, so no other run is using them.
    const live = 1000;
    const stale = 1001;
    const range = (b: number): [number, number] => [b * BLOCK, b * BLOCK + BLOCK - 1];
    claimBlocks(...range(live));
    releaseBlocks(...range(live));
    claimBlocks(...range(stale));
    releaseBlocks(...range(stale));
    // The parent (vitest's main process) is alive; a finished child is not.
    writeFileSync(path.join(CLAIMS_DIR, String(live)), String(process.ppid));
    const gone = spawnSync(process.execPath, ['-e', 'process.pid'], { stdio: 'ignore' }).pid!;
    writeFileSync(path.join(CLAIMS_DIR, String(stale)), String(gone));
    expect(claimBlocks(...range(live))).toBe(false);
    expect(claimBlocks(range(live)[0] - 2, range(live)[0] + 1)).toBe(false);
    expect(claimBlocks(...range(stale))).toBe(true);
    releaseBlocks(...range(stale));
    // Once its owner is gone, the other block is taken over too.
    writeFileSync(path.join(CLAIMS_DIR, String(live)), String(gone));
    expect(claimBlocks(...range(live))).toBe(true);
    releaseBlocks(...range(live));
  });
});

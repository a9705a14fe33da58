// The relay's own residence time, from the kernel: tcpdump timestamps every packet on loopback as it
// enters the relay's socket and as the relay sends it on, so in→out is what the relay process adds
// (its socket queue, event loop, processing and send), without the generator's send and receive
// queueing that the end-to-end one-way latency also contains.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureWindow, percentile, type Relay, type Window } from './lib';

export interface Residence {
  /** Calls captured. */
  calls: number;
  /** Packets seen both entering and leaving the relay. */
  matched: number;
  p50: number;
  p99: number;
  max: number;
  /** Packets tcpdump reports it could not capture (its own buffer overran). */
  droppedByCapture: number;
}

/**
 * One call's relay ports: its two sides, each the ports packets may enter or leave by (an RTP leg has
 * one; a WebRTC leg's ICE socket is one of the range it may bind).
 */
export type CallPorts = [number[], number[]];

export class RelayCapture {
  private readonly dir = mkdtempSync(join(tmpdir(), 'relay-capture-'));
  private readonly file = join(this.dir, 'lo.pcap');
  private readonly tcpdump: ChildProcess;
  private stderr = '';
  private readonly started: Promise<void>;
  private readonly calls: CallPorts[];

  /**
   * Captures the first `fraction` of the calls only (given in the order their ports were taken, so
   * each side is one small port range): tcpdump's filter then rejects most packets in the kernel and
   * its own work on the relay's core stays small.
   */
  constructor(all: CallPorts[], fraction: number, cpu: number | null) {
    this.calls = all.slice(0, Math.max(1, Math.ceil(all.length * fraction)));
    const range = (ports: number[]) => `portrange ${Math.min(...ports)}-${Math.max(...ports) + 1}`; // + RTCP
    const filter = `udp and (${range(this.calls.flatMap((c) => c[0]))} or ${range(this.calls.flatMap((c) => c[1]))})`;
    const args = [
      '-i',
      'lo',
      '-nn',
      '-B',
      '65536',
      '-s',
      '96',
      '--time-stamp-precision=nano',
      '-w',
      this.file,
    ];
    const command =
      cpu === null
        ? ['tcpdump', ...args, filter]
        : ['taskset', '-c', String(cpu), 'tcpdump', ...args, filter];
    this.tcpdump = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.started = new Promise((resolve, reject) => {
      this.tcpdump.once('error', reject);
      this.tcpdump.stderr!.on('data', (d: Buffer) => {
        this.stderr += d.toString();
        if (this.stderr.includes('listening on')) resolve();
      });
      this.tcpdump.once('exit', (code) => reject(new Error(`tcpdump exited (${code}): ${this.stderr}`)));
    });
  }

  ready(): Promise<void> {
    return this.started;
  }

  async stop(): Promise<Residence> {
    const exited = new Promise<void>((r) => this.tcpdump.once('exit', () => r()));
    this.tcpdump.kill('SIGINT');
    await exited;
    const dropped = Number(/(\d+) packets dropped by kernel/.exec(this.stderr)?.[1] ?? 0);
    const residence = this.residence(readFileSync(this.file));
    rmSync(this.dir, { recursive: true, force: true });
    return { ...residence, calls: this.calls.length, droppedByCapture: dropped };
  }

  /**
   * Pairs each RTP packet into a relay port with the packet the relay sent on from the call's other
   * port. The relay numbers what it sends in its own sequence (one per packet, RFC 3550 §5.1), so per
   * direction out = in + a constant: the most common difference between a sent packet and the last
   * packet received before it. The RTP header is clear text in SRTP too (RFC 3711 §3.1), so this
   * works for WebRTC legs, where the payload cannot be read.
   */
  private residence(pcap: Buffer): Omit<Residence, 'droppedByCapture' | 'calls'> {
    // port → [direction of packets entering there, direction of packets leaving from there]
    const sides = new Map<number, [number, number]>();
    this.calls.forEach(([a, b], i) => {
      for (const port of a) sides.set(port, [2 * i, 2 * i + 1]);
      for (const port of b) sides.set(port, [2 * i + 1, 2 * i]);
    });
    const magic = pcap.readUInt32LE(0);
    if (magic !== 0xa1b23c4d) throw new Error(`not a nanosecond pcap (magic ${magic.toString(16)})`);
    const linkType = pcap.readUInt32LE(20);
    const linkHeader = linkType === 1 ? 14 : linkType === 113 ? 16 : 0;
    type Direction = {
      into: Map<number, number>;
      lastIn: number;
      out: [number, number][];
      votes: Map<number, number>;
    };
    const directions = new Map<number, Direction>();
    const direction = (id: number) => {
      let d = directions.get(id);
      if (!d) {
        d = { into: new Map(), lastIn: -1, out: [], votes: new Map() };
        directions.set(id, d);
      }
      return d;
    };
    // Seconds from the first packet: absolute nanoseconds would not fit a double's 53 bits.
    const base = pcap.length >= 40 ? pcap.readUInt32LE(24) : 0;
    for (let off = 24; off + 16 <= pcap.length; ) {
      const ns = (pcap.readUInt32LE(off) - base) * 1e9 + pcap.readUInt32LE(off + 4);
      const captured = pcap.readUInt32LE(off + 8);
      const p = off + 16;
      off = p + captured;
      const ip = p + linkHeader;
      if (captured < linkHeader + 20 + 8 + 12 || pcap[ip]! >> 4 !== 4) continue;
      const udp = ip + (pcap[ip]! & 0x0f) * 4;
      const src = pcap.readUInt16BE(udp);
      const dst = pcap.readUInt16BE(udp + 2);
      const rtp = udp + 8;
      // RTP only: version 2 and not RTCP (PT 200–204 with the marker bit) — STUN and DTLS share a
      // WebRTC leg's port and start with other bytes (RFC 7983 §7).
      if (pcap[rtp]! >> 6 !== 2 || (pcap[rtp + 1]! & 0x7f) >= 72) continue;
      const seq = pcap.readUInt16BE(rtp + 2);
      const entering = sides.get(dst);
      const leaving = sides.get(src);
      if (entering) {
        const d = direction(entering[0]);
        d.into.set(seq, ns);
        d.lastIn = seq;
      } else if (leaving) {
        const d = direction(leaving[1]);
        if (d.lastIn < 0) continue;
        d.out.push([seq, ns]);
        const delta = (seq - d.lastIn) & 0xffff;
        d.votes.set(delta, (d.votes.get(delta) ?? 0) + 1);
      }
    }
    const times: number[] = [];
    for (const d of directions.values()) {
      let offset = 0;
      let best = 0;
      for (const [delta, n] of d.votes) if (n > best) [offset, best] = [delta, n];
      for (const [seq, t] of d.out) {
        const t0 = d.into.get((seq - offset) & 0xffff);
        if (t0 !== undefined && t >= t0) times.push((t - t0) / 1e6);
      }
    }
    times.sort((a, b) => a - b);
    return {
      matched: times.length,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      max: times.length ? times[times.length - 1]! : 0,
    };
  }
}

/**
 * The bench's measurement window, with the relay's own latency from a capture of `fraction` of the
 * calls when fraction > 0 (tcpdump on CPU `cpu`, or anywhere).
 */
export async function measureRelay(
  relay: Relay,
  ms: number,
  calls: CallPorts[],
  fraction: number,
  cpu: number | null,
): Promise<{ win: Window; residence: Residence | null }> {
  const capture = fraction > 0 ? new RelayCapture(calls, fraction, cpu) : null;
  await capture?.ready();
  const win = await measureWindow(ms, relay);
  return { win, residence: capture ? await capture.stop() : null };
}

/** ` | p50 / p99 / max` of a capture's in-relay latency, for a results row. */
export function residenceColumns(x: Residence | null, withCounts = false): string {
  if (!x) return '';
  const counts = withCounts ? ` | ${x.matched} (${x.droppedByCapture})` : '';
  return ` | ${x.p50.toFixed(2)} / ${x.p99.toFixed(2)} / ${x.max.toFixed(1)}${counts}`;
}

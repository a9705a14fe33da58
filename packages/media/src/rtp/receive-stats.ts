// Per-leg reception statistics: loss and interarrival jitter as RFC 3550 A.1/A.3/A.8 define them, so the
// numbers we report match what the peer's RTCP reports about us.

import { seqDiff } from './rtp-packet';

const RTP_SEQ_MOD = 0x10000;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class ReceiveStats {
  ssrc = -1;
  received = 0;
  bytes = 0;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  /** Jitter in timestamp units, kept ×16 as A.8 does to avoid floating point. */
  private jitterQ4 = 0;
  private transit = 0;
  private haveTransit = false;
  lastSrNtpMiddle = 0;
  lastSrArrivalMs = 0;

  constructor(private readonly clockRate = 8000) {}

  /** Record one audio packet. `arrivalMs` is a monotonic millisecond clock. */
  update(ssrc: number, seq: number, timestamp: number, bytes: number, arrivalMs: number): void {
    if (ssrc !== this.ssrc) {
      // A new source (re-INVITE, PBX switching streams) restarts the sequence space (A.1 init_seq).
      this.ssrc = ssrc;
      this.baseSeq = seq;
      this.maxSeq = seq;
      this.cycles = 0;
      this.expectedPrior = 0;
      this.receivedPrior = 0;
      this.received = 0;
      this.haveTransit = false;
    } else {
      const delta = seqDiff(seq, this.maxSeq);
      if (delta > 0 && delta < MAX_DROPOUT) {
        if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
        this.maxSeq = seq;
      } else if (delta <= 0 && -delta <= MAX_MISORDER) {
        // duplicate or reordered: counted as received, does not advance max
      } else {
        // Very large jump: treat as a restart rather than thousands of lost packets.
        this.baseSeq = seq;
        this.maxSeq = seq;
        this.cycles = 0;
        this.expectedPrior = 0;
        this.receivedPrior = 0;
        this.received = 0;
      }
    }
    this.received++;
    this.bytes += bytes;
    // A.8: transit = arrival (in RTP units) - timestamp; J += (|D| - J) / 16
    const arrival = Math.round((arrivalMs * this.clockRate) / 1000);
    const transit = (arrival - timestamp) | 0;
    if (this.haveTransit) {
      let d = (transit - this.transit) | 0;
      if (d < 0) d = -d;
      this.jitterQ4 += d - ((this.jitterQ4 + 8) >> 4);
    }
    this.transit = transit;
    this.haveTransit = true;
  }

  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.ssrc < 0 ? 0 : this.extendedMax - this.baseSeq + 1;
  }

  get lost(): number {
    return Math.max(0, this.expected - this.received);
  }

  /** Jitter in timestamp units (what goes into a report block). */
  get jitter(): number {
    return this.jitterQ4 >> 4;
  }

  get jitterMs(): number {
    return (this.jitter * 1000) / this.clockRate;
  }

  /** Fraction lost since the previous call, as the 8-bit fixed point value of a report block (A.3). */
  takeFractionLost(): number {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    if (expectedInterval === 0 || lostInterval <= 0) return 0;
    return Math.min(255, Math.floor((lostInterval << 8) / expectedInterval));
  }
}

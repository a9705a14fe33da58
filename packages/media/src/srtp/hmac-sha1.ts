// HMAC-SHA1 (RFC 2104 over FIPS 180-4 SHA-1) in plain JS with the key's inner and outer pad blocks
// compressed once. SRTP authenticates every packet; node:crypto needs a native Hash object per packet
// (or two, cloning a keyed state), and at tens of thousands of packets per second those short-lived
// native objects dominate young-generation GC pauses. This computes a tag with no allocation at all.

export class HmacSha1 {
  private readonly innerState = new Int32Array(5);
  private readonly outerState = new Int32Array(5);
  private readonly h = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly block = new Uint8Array(64);
  private readonly innerDigest = new Uint8Array(20);

  constructor(key: Uint8Array) {
    if (key.length > 64) throw new Error('HMAC-SHA1 keys longer than 64 bytes are not used by SRTP');
    const pad = new Uint8Array(64);
    for (const [state, byte] of [
      [this.innerState, 0x36],
      [this.outerState, 0x5c],
    ] as const) {
      for (let i = 0; i < 64; i++) pad[i] = (key[i] ?? 0) ^ byte;
      this.h.set([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0]);
      this.compress(pad, 0);
      state.set(this.h);
    }
  }

  private compress(buf: Uint8Array, off: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const o = off + i * 4;
      w[i] = (buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!;
    }
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
      w[i] = (x << 1) | (x >>> 31);
    }
    const h = this.h;
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
  }

  /** Hash (data[start..end) ‖ suffix) continuing from `state`, which already covers 64 bytes. */
  private run(state: Int32Array, data: Uint8Array, start: number, end: number, suffix: number | null): void {
    this.h.set(state);
    const blk = this.block;
    const msgLen = end - start + (suffix === null ? 0 : 4);
    let o = start;
    while (end - o >= 64) {
      this.compress(data, o);
      o += 64;
    }
    let n = end - o;
    blk.set(data.subarray(o, end), 0);
    if (suffix !== null) {
      // the 4-byte suffix (SRTP's ROC) may straddle the block boundary
      const bytes = [suffix >>> 24, (suffix >>> 16) & 0xff, (suffix >>> 8) & 0xff, suffix & 0xff];
      for (const byte of bytes) {
        blk[n++] = byte;
        if (n === 64) {
          this.compress(blk, 0);
          n = 0;
        }
      }
    }
    blk[n++] = 0x80;
    if (n > 56) {
      blk.fill(0, n, 64);
      this.compress(blk, 0);
      n = 0;
    }
    blk.fill(0, n, 56);
    const bits = (msgLen + 64) * 8; // + the key block already compressed
    blk[56] = 0;
    blk[57] = 0;
    blk[58] = 0;
    blk[59] = Math.floor(bits / 0x100000000) & 0xff;
    blk[60] = (bits >>> 24) & 0xff;
    blk[61] = (bits >>> 16) & 0xff;
    blk[62] = (bits >>> 8) & 0xff;
    blk[63] = bits & 0xff;
    this.compress(blk, 0);
  }

  /**
   * Writes the first `tagLen` bytes of HMAC-SHA1(key, data[start..end) ‖ suffix32) into out[outOff..].
   * `suffix` is a big-endian 32-bit value appended to the message (SRTP's ROC, RFC 3711 §4.2), or null.
   */
  tag(
    data: Uint8Array,
    start: number,
    end: number,
    suffix: number | null,
    out: Uint8Array,
    outOff: number,
    tagLen: number,
  ): void {
    this.run(this.innerState, data, start, end, suffix);
    const d = this.innerDigest;
    for (let i = 0; i < 5; i++) {
      const v = this.h[i]!;
      d[i * 4] = v >>> 24;
      d[i * 4 + 1] = (v >>> 16) & 0xff;
      d[i * 4 + 2] = (v >>> 8) & 0xff;
      d[i * 4 + 3] = v & 0xff;
    }
    this.run(this.outerState, d, 0, 20, null);
    for (let i = 0; i < tagLen; i++) {
      const v = this.h[i >> 2]!;
      out[outOff + i] = (v >>> (24 - (i & 3) * 8)) & 0xff;
    }
  }
}

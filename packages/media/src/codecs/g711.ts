// G.711 μ-law (PCMU) and A-law (PCMA) by lookup table (ITU-T G.711). Decode is a 256-entry table; encode is
// a 64 Ki-entry table indexed by the 16-bit sample, so the relay never branches per sample.

export type G711Law = 'PCMU' | 'PCMA';

const BIAS = 0x84;
const CLIP = 32635;

function linearToUlawSlow(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function ulawToLinearSlow(u: number): number {
  const v = ~u & 0xff;
  const sign = v & 0x80;
  const exponent = (v >> 4) & 0x07;
  const mantissa = v & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return sign ? -magnitude : magnitude;
}

function linearToAlawSlow(sample: number): number {
  let s = sample >> 3; // A-law works on 13-bit magnitudes
  let mask: number;
  if (s >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    s = -s - 1;
  }
  const segEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let seg = 0;
  while (seg < 8 && s > segEnds[seg]!) seg++;
  if (seg >= 8) return (0x7f ^ mask) & 0xff;
  let aval = seg << 4;
  aval |= seg < 2 ? (s >> 1) & 0x0f : (s >> seg) & 0x0f;
  return (aval ^ mask) & 0xff;
}

function alawToLinearSlow(a: number): number {
  const v = a ^ 0x55;
  let t = (v & 0x0f) << 4;
  const seg = (v & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return v & 0x80 ? t : -t;
}

export const ULAW_DECODE = new Int16Array(256);
export const ALAW_DECODE = new Int16Array(256);
const ULAW_ENCODE = new Uint8Array(65536);
const ALAW_ENCODE = new Uint8Array(65536);
/** Direct law-to-law maps (PCMU↔PCMA) so a bridge between different laws is one table lookup per byte. */
export const ULAW_TO_ALAW = new Uint8Array(256);
export const ALAW_TO_ULAW = new Uint8Array(256);

for (let i = 0; i < 256; i++) {
  ULAW_DECODE[i] = ulawToLinearSlow(i);
  ALAW_DECODE[i] = alawToLinearSlow(i);
}
for (let i = 0; i < 65536; i++) {
  const sample = i < 32768 ? i : i - 65536;
  ULAW_ENCODE[i] = linearToUlawSlow(sample);
  ALAW_ENCODE[i] = linearToAlawSlow(sample);
}
for (let i = 0; i < 256; i++) {
  ULAW_TO_ALAW[i] = ALAW_ENCODE[ULAW_DECODE[i]! & 0xffff]!;
  ALAW_TO_ULAW[i] = ULAW_ENCODE[ALAW_DECODE[i]! & 0xffff]!;
}

export const SILENCE: Record<G711Law, number> = { PCMU: 0xff, PCMA: 0xd5 };

export function encodeSample(law: G711Law, sample: number): number {
  return (law === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE)[sample & 0xffff]!;
}

export function decodeSample(law: G711Law, byte: number): number {
  return (law === 'PCMU' ? ULAW_DECODE : ALAW_DECODE)[byte & 0xff]!;
}

/** Encode PCM16 samples into G.711 bytes; `out` may be passed in to avoid allocation. */
export function encode(
  law: G711Law,
  pcm: Int16Array,
  out: Uint8Array = Buffer.allocUnsafe(pcm.length),
): Uint8Array {
  const table = law === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE;
  for (let i = 0; i < pcm.length; i++) out[i] = table[pcm[i]! & 0xffff]!;
  return out;
}

export function decode(
  law: G711Law,
  bytes: Uint8Array,
  out: Int16Array = new Int16Array(bytes.length),
): Int16Array {
  const table = law === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]!]!;
  return out;
}

/** Convert in place between laws; a no-op when both legs use the same law. */
export function transcodeInPlace(
  from: G711Law,
  to: G711Law,
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
): void {
  if (from === to) return;
  const table = from === 'PCMU' ? ULAW_TO_ALAW : ALAW_TO_ULAW;
  for (let i = start; i < end; i++) bytes[i] = table[bytes[i]!]!;
}

/** Static RTP payload types (RFC 3551 table 4). */
export const STATIC_PT: Record<G711Law, number> = { PCMU: 0, PCMA: 8 };

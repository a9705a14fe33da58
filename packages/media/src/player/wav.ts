// Minimal RIFF/WAVE reading and writing for 8 kHz telephony audio.

import { decode, type G711Law } from '../codecs/g711';

export const WAV_HEADER_BYTES = 44;

export interface WavInfo {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataOffset: number;
  dataBytes: number;
}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_ULAW = 7;

export function parseWavHeader(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let o = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes'> | null = null;
  while (o + 8 <= buf.length) {
    const id = buf.toString('ascii', o, o + 4);
    const size = buf.readUInt32LE(o + 4);
    if (id === 'fmt ') {
      fmt = {
        format: buf.readUInt16LE(o + 8),
        channels: buf.readUInt16LE(o + 10),
        sampleRate: buf.readUInt32LE(o + 12),
        bitsPerSample: buf.readUInt16LE(o + 22),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data before fmt chunk');
      return { ...fmt, dataOffset: o + 8, dataBytes: Math.min(size, buf.length - o - 8) };
    }
    o += 8 + size + (size & 1);
  }
  throw new Error('WAV has no data chunk');
}

/** Decode an 8 kHz mono WAV (PCM16, A-law or μ-law) to PCM16 samples. */
export function decodeWav(buf: Buffer, name = 'WAV'): Int16Array {
  const info = parseWavHeader(buf);
  if (info.channels !== 1 || info.sampleRate !== 8000) {
    throw new Error(
      `${name}: prompts must be 8 kHz mono (got ${info.sampleRate} Hz, ${info.channels} channels)`,
    );
  }
  const data = buf.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
  if (info.format === FORMAT_PCM && info.bitsPerSample === 16) {
    const out = new Int16Array(data.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2);
    return out;
  }
  if (info.format === FORMAT_ULAW || info.format === FORMAT_ALAW) {
    const law: G711Law = info.format === FORMAT_ULAW ? 'PCMU' : 'PCMA';
    return decode(law, data);
  }
  throw new Error(`${name}: unsupported WAV format ${info.format}/${info.bitsPerSample} bit`);
}

/** 44-byte header for PCM16; sizes may be 0 while a recording is still being written. */
export function pcm16Header(channels: number, sampleRate: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(FORMAT_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export function encodeWavPcm16(samples: Int16Array, channels = 1, sampleRate = 8000): Buffer {
  const body = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return Buffer.concat([pcm16Header(channels, sampleRate, body.length), body]);
}

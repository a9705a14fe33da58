import { useQuery } from '@tanstack/react-query';
import { recordingAudioUrl } from './search-recordings';

/** Peak amplitude (0..1) per bucket of a PCM16 WAV, all channels mixed. */
export function wavPeaks(buffer: ArrayBuffer, buckets: number): number[] {
  const view = new DataView(buffer);
  if (buffer.byteLength < 44 || view.getUint32(0, false) !== 0x52494646) throw new Error('Not a WAV file');
  let offset = 12;
  let channels = 1;
  let bits = 16;
  let dataStart = -1;
  let dataLength = 0;
  while (offset + 8 <= buffer.byteLength) {
    const id = String.fromCharCode(
      view.getUint8(offset),
      view.getUint8(offset + 1),
      view.getUint8(offset + 2),
      view.getUint8(offset + 3),
    );
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      channels = view.getUint16(offset + 10, true);
      bits = view.getUint16(offset + 22, true);
    } else if (id === 'data') {
      dataStart = offset + 8;
      dataLength = Math.min(size, buffer.byteLength - dataStart);
      break;
    }
    offset += 8 + size + (size % 2);
  }
  if (dataStart < 0 || bits !== 16) throw new Error('Unsupported WAV format');
  const frames = Math.floor(dataLength / (2 * channels));
  const peaks = new Array<number>(buckets).fill(0);
  const per = Math.max(1, Math.floor(frames / buckets));
  for (let b = 0; b < buckets; b++) {
    let peak = 0;
    const start = b * per;
    const end = Math.min(frames, start + per);
    for (let f = start; f < end; f++) {
      for (let ch = 0; ch < channels; ch++) {
        const v = Math.abs(view.getInt16(dataStart + (f * channels + ch) * 2, true)) / 32768;
        if (v > peak) peak = v;
      }
    }
    peaks[b] = peak;
  }
  return peaks;
}

export function useWaveform(id: number, buckets = 240) {
  return useQuery({
    queryKey: ['recordings', id, 'waveform', buckets],
    queryFn: async () => {
      const res = await fetch(recordingAudioUrl(id), { credentials: 'same-origin' });
      if (!res.ok)
        throw new Error(res.status === 404 ? 'The recording file is missing' : `Failed (${res.status})`);
      return wavPeaks(await res.arrayBuffer(), buckets);
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

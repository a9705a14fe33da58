import { encode, type G711Law } from '../codecs/g711';
import type { MediaLeg } from '../legs/media-leg';
import { sharedClock } from './media-clock';

const RATE = 8000;
const FRAME = 160;
/** North American ringback (ITU-T E.180 / ATIS): 440 + 480 Hz, 2 s on, 4 s off. */
const ON_FRAMES = 100;
const CYCLE_FRAMES = 300;

const cache = new Map<G711Law, { tone: Buffer[]; silence: Buffer }>();

function frames(law: G711Law): { tone: Buffer[]; silence: Buffer } {
  let f = cache.get(law);
  if (f) return f;
  // One second of tone is a whole number of periods of both 440 and 480 Hz: the frames loop seamlessly.
  const pcm = new Int16Array(RATE);
  for (let i = 0; i < pcm.length; i++) {
    const t = i / RATE;
    pcm[i] = Math.round(4000 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)));
  }
  const bytes = Buffer.from(encode(law, pcm));
  const tone: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += FRAME) tone.push(bytes.subarray(o, o + FRAME));
  const silence = Buffer.from(encode(law, new Int16Array(FRAME)));
  f = { tone, silence };
  cache.set(law, f);
  return f;
}

/**
 * Plays ringback to a caller whose callee rings without early media (RFC 3960 §2.1: the UAS side
 * generates it when it sends 183 with SDP). Paced by the shared media clock; returns a stop function.
 */
export function playRingback(leg: MediaLeg): () => void {
  let n = 0;
  const off = sharedClock.subscribe(() => {
    if (leg.closed) {
      off();
      return;
    }
    const { tone, silence } = frames(leg.law);
    const pos = n++ % CYCLE_FRAMES;
    leg.sendFrame(pos < ON_FRAMES ? tone[pos % tone.length]! : silence);
  });
  return off;
}

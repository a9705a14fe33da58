// Mutation fuzzer shared by the bounded test and bench/sip/fuzz.ts.
import { parseMessage } from '../src/messages/parser';

/** Small deterministic PRNG so a failing seed can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const INTERESTING = [
  '\r\n',
  ' ',
  '\t',
  ':',
  ';',
  ',',
  '<',
  '>',
  '"',
  '\\',
  '%',
  '%0',
  '@',
  '=',
  '?',
  '\0',
  '\xff',
  '9999999999999',
  '-1',
  'SIP/2.0',
  '\r\n ',
  'z9hG4bK',
  '[',
  ']',
];

export function mutate(input: Buffer, rand: () => number): Buffer {
  let b = Buffer.from(input);
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; k++) {
    const pos = Math.floor(rand() * (b.length + 1));
    switch (Math.floor(rand() * 6)) {
      case 0: // flip a byte
        if (b.length > 0) b[Math.min(pos, b.length - 1)] = Math.floor(rand() * 256);
        break;
      case 1: {
        // delete a span
        const len = Math.floor(rand() * 16);
        b = Buffer.concat([b.subarray(0, pos), b.subarray(Math.min(b.length, pos + len))]);
        break;
      }
      case 2: {
        // insert an interesting token
        const t = INTERESTING[Math.floor(rand() * INTERESTING.length)]!;
        b = Buffer.concat([b.subarray(0, pos), Buffer.from(t, 'latin1'), b.subarray(pos)]);
        break;
      }
      case 3: {
        // duplicate a span (repeated headers, long lines)
        const len = Math.floor(rand() * 64);
        const span = b.subarray(pos, Math.min(b.length, pos + len));
        b = Buffer.concat([b.subarray(0, pos), span, span, b.subarray(pos)]);
        break;
      }
      case 4: // truncate
        b = b.subarray(0, pos);
        break;
      default: {
        // swap two lines
        const lines = b.toString('latin1').split('\r\n');
        const i = Math.floor(rand() * lines.length);
        const j = Math.floor(rand() * lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        b = Buffer.from(lines.join('\r\n'), 'latin1');
      }
    }
  }
  return b;
}

/** Runs `count` mutations; returns how many parsed, and throws on the first escaped exception. */
export function fuzz(corpus: Buffer[], count: number, seed: number): { parsed: number; rejected: number } {
  const rand = rng(seed);
  let parsed = 0;
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const input = mutate(corpus[i % corpus.length]!, rand);
    let r: ReturnType<typeof parseMessage>;
    try {
      r = parseMessage(input, { datagram: (i & 1) === 0 });
    } catch (e) {
      throw new Error(
        `parser threw on mutation ${i} (seed ${seed}): ${String(e)}\n${input.toString('latin1')}`,
      );
    }
    if (r.ok) {
      parsed++;
      // A parsed message must also survive serialization and every typed accessor.
      const m = r.message;
      void m.toBuffer();
      void m.vias();
      void m.contacts();
      void m.nameAddrs('route');
      void m.cseq;
    } else {
      rejected++;
      if (r.error.reason.startsWith('internal parser error')) {
        throw new Error(
          `parser failed internally on mutation ${i} (seed ${seed}): ${r.error.reason}\n${input.toString('latin1')}`,
        );
      }
    }
  }
  return { parsed, rejected };
}

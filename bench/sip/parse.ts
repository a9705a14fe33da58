// Parse + serialize throughput on one core: `npx tsx bench/sip/parse.ts [seconds]`.
import { parseMessage } from '../../packages/sip/src/index';
import { INVITE, OK } from './messages';

const seconds = Number(process.argv[2] ?? 3);

function run(name: string, text: string): number {
  const buf = Buffer.from(text);
  // Warm up so the JIT has compiled the hot paths before measuring.
  for (let i = 0; i < 20_000; i++) {
    const r = parseMessage(buf);
    if (r.ok) r.message.toBuffer();
  }
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < end) {
    for (let i = 0; i < 1000; i++) {
      const r = parseMessage(buf);
      if (!r.ok) throw new Error(r.error.reason);
      // A real path reads the headers it routes on, then writes the message back out.
      const m = r.message;
      void m.via?.branch;
      void m.cseq.seq;
      m.toBuffer();
    }
    n += 1000;
    now = process.hrtime.bigint();
  }
  const rate = n / (Number(now - start) / 1e9);
  console.log(`${name}: ${Math.round(rate).toLocaleString('en-US')} msgs/s (parse + serialize)`);
  return rate;
}

run('INVITE with SDP', INVITE);
run('200 OK', OK);

// Parse + serialize throughput on one core: `npx tsx bench/sip/parse.ts [seconds] [--sipjs]`.
import { parseMessage } from '../../packages/sip/src/index';
import { INVITE, OK } from './messages';

const seconds = Number(process.argv.find((a, i) => i >= 2 && /^\d+$/.test(a)) ?? 3);

function run(name: string, text: string): number {
  const buf = Buffer.from(text);
  // Warm up so the JIT has compiled the hot paths before measuring.
  for (let i = 0; i < 20_000; i++) {
    const r = parseMessage(buf);
    if (r.ok) r.message.toBuffer();
  }
  let n = 0;
  const cpu0 = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpu0);
  const wall = n / (Number(now - start) / 1e9);
  // CPU time of this (single-threaded) process: the per-core figure, robust to other load on the box.
  const perCore = n / ((cpu.user + cpu.system) / 1e6);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `${name}: ${fmt(perCore)} msgs per CPU-second (${fmt(wall)} msgs/s wall clock), parse + serialize`,
  );
  return perCore;
}

run('INVITE with SDP', INVITE);
run('200 OK', OK);

// For comparison, the PEG parser of sip.js (the browser softphone's library) on the same INVITE.
if (process.argv.includes('--sipjs')) {
  const { Parser } = await import('sip.js/lib/core/messages/parser.js');
  const logger = { warn() {}, log() {}, error() {}, debug() {} } as never;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 3000) {
    if (!Parser.parseMessage(INVITE, logger)) throw new Error('sip.js failed to parse');
    n++;
  }
  console.log(
    `sip.js 0.21 Parser.parseMessage, INVITE with SDP: ${Math.round(n / ((performance.now() - t0) / 1000))} msgs/s (parse only)`,
  );
}

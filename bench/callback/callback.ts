// Trigger calls to a callback service's access number, and the call backs they bring, with sipp on
// both sides:
//   npx tsx bench/callback/callback.ts [--calls 50] [--rate 50] [--delay 3]
// A sipp caller places <calls> trigger calls at <rate> per second, each from its own number, to the
// access number; the switch rings 0 s and answers 486. After --delay s the service calls each caller
// back through the trunk to a sipp carrier that answers (180, 100 ms, 200); nobody types, so the
// 1 s destination prompt times out and the switch hangs up. From sipp's message logs: the 486 the
// caller received → the INVITE of the call back the carrier received, minus the delay, is the
// lateness. A trigger whose caller gets no call back is lost.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { answeringCarrier } from '../../apps/server/test/script-peers';
import { freeMediaPorts, freePort } from '../../apps/server/test/sip-agents';
import { carrierInvite } from '../../apps/server/test/sipp/carrier-invite';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const calls = Number(arg('calls', '50'));
const rate = Number(arg('rate', '50'));
const delayS = Number(arg('delay', '3'));
const ACCESS = '5550150';
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sb-bench-cb-'));
const caller = (i: number) => `+1415556${String(1000 + i).padStart(4, '0')}`;

function sipp(args: string[], log: string) {
  // A call that never gets its answer fails after 30 s instead of holding sipp (and the bench) forever.
  const p = spawn(
    '/usr/bin/sipp',
    [
      ...args,
      '-nostdin',
      '-recv_timeout',
      '30000',
      '-timeout',
      '120s',
      '-timeout_error',
      '-trace_msg',
      '-message_file',
      log,
    ],
    {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
}

// The carrier: answers every call back.
const carrierPort = await freePort();
const carrierLog = join(work, 'carrier.log');
const carrierDone = sipp(
  [
    '-sf',
    answeringCarrier(),
    '-i',
    '127.0.0.1',
    '-p',
    String(carrierPort),
    '-t',
    'u1',
    '-m',
    String(calls),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(await freeMediaPorts()),
  ],
  carrierLog,
);

const sipPort = await freePort();
const server = spawn('npx', ['tsx', join(root, 'bench/callback/callback-server.ts')], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(await freePort()),
    SIP_PORT: String(sipPort),
    DATABASE_URL: `sqlite:${join(work, 'bench.db')}`,
    RECORDINGS_DIR: join(work, 'recordings'),
    RTP_PORT_MIN: '30000',
    RTP_PORT_MAX: '39999',
    LOG_LEVEL: 'warn',
    SIP_RATE_LIMIT_REQUESTS: '1000000',
    BENCH_TRUNK: `sip:127.0.0.1:${carrierPort}`,
    BENCH_ACCESS_NUMBER: ACCESS,
    BENCH_DELAY_S: String(delayS),
  },
});
await new Promise<void>((ready, reject) => {
  let out = '';
  server.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (/READY /.test(out)) ready();
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});

// The trigger calls: one caller number per call from an injection file.
const from = 'From: <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]';
const triggerXml = join(work, 'trigger.xml');
writeFileSync(
  triggerXml,
  `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="trigger">
  ${carrierInvite(from)}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="486" />
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-5]
      ${from}
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
</scenario>`,
);
const numbers = join(work, 'callers.csv');
writeFileSync(numbers, `SEQUENTIAL\n${Array.from({ length: calls }, (_, i) => caller(i)).join('\n')}\n`);
const triggerLog = join(work, 'trigger.log');
const cpuBefore = await serverCpu();
const triggersDone = await sipp(
  [
    '127.0.0.1:' + sipPort,
    '-sf',
    triggerXml,
    '-inf',
    numbers,
    '-s',
    ACCESS,
    '-i',
    '127.0.0.1',
    '-p',
    String(await freePort()),
    '-t',
    'u1',
    '-m',
    String(calls),
    '-r',
    String(rate),
    '-rp',
    '1000',
    '-mi',
    '127.0.0.1',
    '-mp',
    String(await freeMediaPorts()),
  ],
  triggerLog,
);
// Every call back: the delay, then the prompt timing out, then the hang-up (sipp exits after the last).
process.on('exit', () => server.kill('SIGKILL'));
const carrierExit = await Promise.race([
  carrierDone,
  new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), (delayS + 60) * 1000)),
]);
const cpuAfter = await serverCpu();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));

/** user+system CPU seconds of the server process tree (the tsx child runs the system). */
async function serverCpu(): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString());
  let total = 0;
  const visit = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / ticks;
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      for (const k of kids ? kids.split(' ') : []) visit(Number(k));
    } catch {
      // gone
    }
  };
  visit(server.pid!);
  return total;
}

/** sipp's log: "----- <date> <time>" then "UDP message received|sent …" then the message. */
function messages(file: string) {
  const out: Array<{ at: number; received: boolean; text: string }> = [];
  for (const block of readFileSync(file, 'utf8')
    .split(/^-{10,} /m)
    .slice(1)) {
    const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)/.exec(block);
    if (!stamp) continue;
    out.push({
      at: new Date(`${stamp[1]}T${stamp[2]!.slice(0, 12)}`).getTime(),
      received: /message received/.test(block),
      text: block,
    });
  }
  return out;
}
const busyAt = new Map<string, number>();
for (const m of messages(triggerLog)) {
  const who = /^From:.*sip:(\+\d+)@/im.exec(m.text)?.[1];
  if (m.received && who && /^SIP\/2\.0 486/m.test(m.text)) busyAt.set(who, m.at);
}
const callbackAt = new Map<string, number>();
for (const m of messages(carrierLog)) {
  const to = /^INVITE sip:(\+\d+)@/m.exec(m.text)?.[1];
  if (m.received && to && !callbackAt.has(to)) callbackAt.set(to, m.at);
}
const lateness: number[] = [];
let lost = 0;
for (let i = 0; i < calls; i++) {
  const busy = busyAt.get(caller(i));
  const back = callbackAt.get(caller(i));
  if (busy === undefined || back === undefined) lost++;
  else lateness.push(back - busy - delayS * 1000);
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
};
console.log(
  JSON.stringify(
    {
      calls,
      ratePerSecond: rate,
      delayS,
      triggersBusy: busyAt.size,
      callBacks: callbackAt.size,
      lost,
      triggerSippExit: triggersDone,
      carrierSippExit: carrierExit,
      latenessMs: {
        n: lateness.length,
        min: pct(lateness, 0),
        p50: pct(lateness, 50),
        p95: pct(lateness, 95),
        p99: pct(lateness, 99),
        max: pct(lateness, 100),
      },
      serverCpuSeconds: Math.round((cpuAfter - cpuBefore) * 100) / 100,
      serverCpuMsPerCallback: Math.round(((cpuAfter - cpuBefore) * 1000) / Math.max(1, callbackAt.size)),
      loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
    },
    null,
    2,
  ),
);
process.exit(lost === 0 ? 0 : 1);

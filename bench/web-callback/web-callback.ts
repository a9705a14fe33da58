// Web callbacks started through the portal API against sipp as the carrier:
//   npx tsx bench/web-callback/web-callback.ts [--calls 100] [--within 1000] [--talk 2000]
// <calls> POST /api/portal/web-callbacks are sent evenly within <within> ms by the demo subscriber,
// each with its own leg-A number (connect two) and a toll-free destination, so every call is
// placed whatever the balance. sipp answers every INVITE (180, 100 ms, 200) and logs every message
// with its time (-trace_msg). Once a call is connected it talks for --talk ms and is hung up
// through DELETE. From sipp's log: POST sent → leg A's INVITE received, and leg A's 200 OK sent →
// leg B's INVITE received (this includes the "connecting your call" prompt A hears first).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { answeringCarrier } from '../../apps/server/test/script-peers';
import { freeMediaPorts, freePort } from '../../apps/server/test/sip-agents';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const calls = Number(arg('calls', '100'));
const withinMs = Number(arg('within', '1000'));
const talkMs = Number(arg('talk', '2000'));
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sb-bench-wcb-'));
const messageFile = join(work, 'carrier-messages.log');

const carrierPort = await freePort();
const carrier = spawn(
  '/usr/bin/sipp',
  [
    '-sf',
    answeringCarrier(),
    '-i',
    '127.0.0.1',
    '-p',
    String(carrierPort),
    '-t',
    'u1',
    '-nostdin',
    '-m',
    String(calls * 2),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(await freeMediaPorts()),
    '-trace_msg',
    '-message_file',
    messageFile,
  ],
  { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] },
);
const carrierExit = new Promise<number | null>((r) => carrier.on('exit', (code) => r(code)));

const httpPort = await freePort();
const server = spawn('npx', ['tsx', join(root, 'bench/web-callback/web-callback-server.ts')], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(httpPort),
    SIP_PORT: String(await freePort()),
    DATABASE_URL: `sqlite:${join(work, 'bench.db')}`,
    RECORDINGS_DIR: join(work, 'recordings'),
    RTP_PORT_MIN: '30000',
    RTP_PORT_MAX: '39999',
    LOG_LEVEL: 'warn',
    BENCH_TRUNK: `sip:127.0.0.1:${carrierPort}`,
  },
});
const base = await new Promise<string>((resolveUrl, reject) => {
  let out = '';
  server.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /READY (\S+)/.exec(out);
    if (m) resolveUrl(m[1]!);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});

let cookie = '';
async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), cookie, origin: base },
    body: body ? JSON.stringify(body) : undefined,
  });
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (set.length) cookie = set.join('; ');
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const login = await api('POST', '/api/portal/auth/login', { phoneNumber: '18005550100', password: 'demo' });
if (login.status !== 200) throw new Error(`portal login ${login.status}`);
await api('PUT', '/api/portal/callback-number', { countryCode: '1', areaCode: '415', number: '5550132' });

const legA = (i: number) => `+1415555${String(1000 + i).padStart(4, '0')}`;
const legB = (i: number) => `+1800555${String(1000 + i).padStart(4, '0')}`;
const postedAt: number[] = [];
const ids: Array<number | null> = [];
const statuses: number[] = [];
const started = Date.now();
await Promise.all(
  Array.from({ length: calls }, async (_, i) => {
    await new Promise((r) => setTimeout(r, Math.floor((i * withinMs) / calls)));
    postedAt[i] = Date.now();
    const res = await api('POST', '/api/portal/web-callbacks', {
      legA: { countryCode: '1', areaCode: '415', number: legA(i).slice(5) },
      destination: { countryCode: '1', areaCode: '800', number: legB(i).slice(5) },
    });
    statuses[i] = res.status;
    ids[i] = res.status === 201 ? res.body.id : null;
  }),
);
const postsDoneMs = Date.now() - started;

// Each connected call talks for --talk ms, then is hung up from the portal.
const outcome: string[] = [];
await Promise.all(
  ids.map(async (id, i) => {
    if (id === null) {
      outcome[i] = `refused_${statuses[i]}`;
      return;
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await api('GET', `/api/portal/web-callbacks/${id}`);
      if (r.body.status === 'connected') break;
      if (r.body.status === 'ended' || Date.now() > deadline) {
        outcome[i] = `not_connected_${r.body.status}_${r.body.outcome}`;
        return;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    await new Promise((res) => setTimeout(res, talkMs));
    const hangUp = await api('DELETE', `/api/portal/web-callbacks/${id}`);
    outcome[i] = hangUp.status === 204 ? 'ok' : `hangup_${hangUp.status}`;
  }),
);
const final = await api('GET', `/api/portal/web-callbacks?pageSize=200`);
const endedOk = (
  final.body.webCallbacks as Array<{ id: number; status: string; legs: Array<{ status: string }> }>
).filter((w) => ids.includes(w.id) && w.status === 'ended').length;

server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
carrier.kill('SIGTERM');
await carrierExit;

// sipp's log: "----- <date> <time>" then "UDP message received|sent …" then the message.
const log = readFileSync(messageFile, 'utf8');
const inviteAt = new Map<string, number>();
const callIdOf = new Map<string, string>();
const okSentAt = new Map<string, number>();
for (const block of log.split(/^-{10,} /m).slice(1)) {
  const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)/.exec(block);
  if (!stamp) continue;
  const at = new Date(`${stamp[1]}T${stamp[2]!.slice(0, 12)}`).getTime();
  const callId = /^Call-ID:\s*(\S+)/im.exec(block)?.[1] ?? '';
  const invite = /^INVITE sip:(\+\d+)@/m.exec(block);
  if (/message received/.test(block) && invite) {
    inviteAt.set(invite[1]!, at);
    callIdOf.set(invite[1]!, callId);
  }
  if (/message sent/.test(block) && /^SIP\/2\.0 200 OK/m.test(block) && /CSeq:\s*\d+ INVITE/i.test(block)) {
    okSentAt.set(callId, at);
  }
}
const toA: number[] = [];
const aToB: number[] = [];
for (let i = 0; i < calls; i++) {
  const a = inviteAt.get(legA(i));
  if (a !== undefined) toA.push(a - postedAt[i]!);
  const answered = okSentAt.get(callIdOf.get(legA(i)) ?? '');
  const b = inviteAt.get(legB(i));
  if (answered !== undefined && b !== undefined) aToB.push(b - answered);
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
};
// The prompt A hears before B is dialled: its length from the WAV header's byte rate.
const wavPath = join(root, 'packages/media/prompts/connecting-call.wav');
const wav = readFileSync(wavPath);
const promptMs = Math.round(((statSync(wavPath).size - 44) / wav.readUInt32LE(28)) * 1000);
const byOutcome: Record<string, number> = {};
for (const o of outcome) byOutcome[o] = (byOutcome[o] ?? 0) + 1;
console.log(
  JSON.stringify(
    {
      calls,
      postsSentWithinMs: postsDoneMs,
      outcomes: byOutcome,
      endedInHistory: endedOk,
      postToLegAInviteMs: { n: toA.length, p50: pct(toA, 50), p95: pct(toA, 95), max: pct(toA, 100) },
      legAAnswerToLegBInviteMs: {
        n: aToB.length,
        p50: pct(aToB, 50),
        p95: pct(aToB, 95),
        max: pct(aToB, 100),
        connectingPromptMs: promptMs,
      },
    },
    null,
    2,
  ),
);
process.exit(byOutcome.ok === calls ? 0 : 1);

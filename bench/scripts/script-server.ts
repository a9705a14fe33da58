// The real server plus a bench script, in its own process so its CPU is its own. On a stdin line
// `run <calls> <bridge ms>` it starts that many script calls at once — originate A through the first
// trunk → play a prompt → collect digits (RFC 4733, typed by sipp) → originate B through the second
// trunk → bridge for <bridge ms> → end — and prints one JSON line with the outcome of each.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../apps/server/src/config';
import { createLogger } from '../../apps/server/src/observability/logger';
import { startSystem } from '../../apps/server/src/system';

const config = loadConfig();
// No OPTIONS keep-alives toward the sipp carriers: sipp would take each one for a call.
const system = await startSystem(config, {
  logger: createLogger(config.logLevel),
  trunks: { optionsIntervalMs: 0 },
});
const { db, scripts, trunks } = system.deps;
await db.deleteFrom('trunks').execute();
const trunkIds: number[] = [];
for (const [name, uri] of [
  ['bench-a', process.env.BENCH_TRUNK_A!],
  ['bench-b', process.env.BENCH_TRUNK_B!],
]) {
  const row = await db
    .insertInto('trunks')
    .values({ name: name!, uri: uri!, transport: 'udp', register: 0, enabled: 1, created_at: Date.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  trunkIds.push(row.id);
}
await trunks.reload();

type Outcome = { ok: boolean; stage: string; setupMs: number };

async function oneCall(bridgeMs: number): Promise<Outcome> {
  const started = performance.now();
  let outcome: Outcome = { ok: false, stage: 'start', setupMs: 0 };
  const call = await scripts.run({ type: 'auto', service: 'bench' }, async (c) => {
    const a = c.originate({ to: '+12025550100', via: { trunk: trunkIds[0]! } });
    if ((await a.outcome()) !== 'connected') {
      outcome = { ok: false, stage: `a_${a.status}_${a.cause}`, setupMs: 0 };
      return;
    }
    await a.play('welcome');
    const entry = await a.collect({ maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 10_000 });
    if (entry.digits !== '12') {
      outcome = { ok: false, stage: `collect_${entry.end}_${entry.digits}`, setupMs: 0 };
      return;
    }
    const b = c.originate({ to: '+12025550200', via: { trunk: trunkIds[1]! }, role: 'destination' });
    if ((await b.outcome()) !== 'connected') {
      outcome = { ok: false, stage: `b_${b.status}_${b.cause}`, setupMs: 0 };
      return;
    }
    const setupMs = performance.now() - started;
    const end = await c.bridge(a, b, { maxDurationMs: bridgeMs, endPrompt: [] });
    outcome =
      end.reason === 'max_duration'
        ? { ok: true, stage: 'done', setupMs }
        : { ok: false, stage: `bridge_${end.endedBy}_${end.reason}`, setupMs };
  });
  await scripts.whenEnded(call);
  return outcome;
}

console.log(`  Switchboard is running at ${system.url}`);
console.log(`  SIP on UDP and TCP ${config.sip.host}:${system.sipPort}`);

for await (const line of createInterface({ input: process.stdin })) {
  const m = /^run (\d+) (\d+)$/.exec(line.trim());
  if (!m) continue;
  const outcomes = await Promise.all(Array.from({ length: Number(m[1]) }, () => oneCall(Number(m[2]))));
  console.log(
    `RESULT ${JSON.stringify({
      outcomes,
      openLegs: scripts.openLegs,
      mediaLegs: scripts.context.media.openLegs,
      timers: scripts.pendingTimers,
    })}`,
  );
}

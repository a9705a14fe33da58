// The real server with a published call flow on a number, in its own process so its CPU is its own.
// The flow: a time condition (open around the clock) → a menu (prompt, keys 1 and 2, one attempt) →
// 1: a queue without agents (the caller waits with its music until it hangs up), 2: collect digits
// (`#` ends them), then a goodbye prompt and hang up. On a stdin line `wait <calls>` it prints one JSON line once that many calls
// have ended in the flow: each call's end and the time from entering the menu to its key.
import { createInterface } from 'node:readline';
import type { FlowDefinition } from '@switchboard/shared';
import { loadConfig } from '../../apps/server/src/config';
import type { FlowActivity } from '../../apps/server/src/flows/call-flows';
import { createLogger } from '../../apps/server/src/observability/logger';
import { startSystem } from '../../apps/server/src/system';

const config = loadConfig();
// No OPTIONS keep-alives toward sipp: it would take each one for a call.
const system = await startSystem(config, {
  logger: createLogger(config.logLevel),
  trunks: { optionsIntervalMs: 0 },
});
const { db, flows, queues } = system.deps;
const now = Date.now();
const queue = await db
  .insertInto('queues')
  .values({ name: 'bench-flow', max_wait_s: 3600, created_at: now })
  .returning('id')
  .executeTakeFirstOrThrow();
await queues.reload();
// The sipp callers' addresses are trunks: calls from anywhere else are not taken as carrier calls.
await db.deleteFrom('trunks').execute();
for (const [i, uri] of process.env.BENCH_TRUNKS!.split(',').entries())
  await db
    .insertInto('trunks')
    .values({ name: `bench-${i}`, uri, transport: 'udp', register: 0, enabled: 1, created_at: now })
    .execute();
await system.deps.trunks.reload();
const admin = await db
  .selectFrom('users')
  .select('id')
  .where('username', '=', 'admin')
  .executeTakeFirstOrThrow();
const c = (id: string, type: string, settings: Record<string, unknown>, exits: Record<string, string> = {}) =>
  ({
    id,
    type,
    label: '',
    position: { x: 0, y: 0 },
    settings,
    exits,
  }) as FlowDefinition['components'][number];
const definition: FlowDefinition = {
  start: 'hours',
  components: [
    c(
      'hours',
      'time_condition',
      { timeZone: 'UTC', hours: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00' }], holidays: [] },
      { open: 'menu', closed: 'bye' },
    ),
    c(
      'menu',
      'menu',
      { prompts: [{ prompt: 'welcome' }], choices: ['1', '2'], timeoutS: 15, attempts: 1 },
      { 'key:1': 'queue', 'key:2': 'account', timeout: 'bye', invalid: 'bye' },
    ),
    c(
      'account',
      'collect',
      {
        prompts: [{ prompt: 'enter-account' }],
        variable: 'account',
        maxDigits: 8,
        terminator: '#',
        firstDigitTimeoutS: 10,
        interDigitTimeoutS: 5,
      },
      { next: 'bye', timeout: 'bye' },
    ),
    c('queue', 'queue', { queueId: queue.id }, { full: 'bye' }),
    c('bye', 'play', { prompts: [{ prompt: 'goodbye' }] }, { next: 'end' }),
    c('end', 'hangup', {}),
  ],
};
const created = await flows.create({ name: 'Bench flow', definition }, admin.id);
await flows.publish(created.id, admin.id);
await db
  .insertInto('inbound_routes')
  .values({
    number: process.env.BENCH_DID!,
    target_type: 'flow',
    target_id: String(created.id),
    created_at: now,
  })
  .execute();

// Each call: when it entered the menu, when it left it and by which exit, and how it ended.
const calls = new Map<
  string,
  { menuAt?: number; keyMs?: number; exit?: string; collected?: string; end?: string }
>();
let ended = 0;
const waiters: Array<() => void> = [];
flows.watch((a: FlowActivity) => {
  const call = calls.get(a.callId) ?? {};
  calls.set(a.callId, call);
  if (a.kind === 'enter' && a.componentId === 'menu') call.menuAt = performance.now();
  else if (a.kind === 'step' && a.componentId === 'menu' && a.exit) {
    call.exit = a.exit;
    if (call.menuAt !== undefined) call.keyMs = performance.now() - call.menuAt;
  } else if (a.kind === 'step' && a.componentId === 'account' && a.exit) call.collected = a.exit;
  else if (a.kind === 'end') {
    call.end = a.end.how;
    ended += 1;
    for (const w of waiters.splice(0)) w();
  }
});

// Calls up at once: the caller legs open in the switch, sampled every 100 ms.
let peakLegs = 0;
setInterval(() => {
  peakLegs = Math.max(peakLegs, system.deps.scripts.openLegs);
}, 100).unref();

console.log(`  Switchboard is running at ${system.url}`);
console.log(`  SIP on UDP and TCP ${config.sip.host}:${system.sipPort}`);

for await (const line of createInterface({ input: process.stdin })) {
  const m = /^wait (\d+)$/.exec(line.trim());
  if (!m) continue;
  while (ended < Number(m[1])) await new Promise<void>((r) => waiters.push(r));
  // The last calls' CDRs close just after their flows end.
  const open = async () =>
    Number(
      (
        await db
          .selectFrom('calls')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '<>', 'closed')
          .executeTakeFirst()
      )?.n ?? 0,
    );
  for (let i = 0; i < 50 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
  const scripts = system.deps.scripts;
  console.log(
    `RESULT ${JSON.stringify({
      calls: [...calls.values()],
      peakLegs,
      openCdrs: await open(),
      live: await flows.live(created.id, 1),
      openLegs: scripts.openLegs,
      mediaLegs: scripts.context.media.openLegs,
      timers: scripts.pendingTimers,
    })}`,
  );
}

// The real server for the callback bench, in its own process: the demo data, one trunk to the sipp
// carrier (BENCH_TRUNK), no OPTIONS keep-alives (sipp would take each one for a call), and a
// callback service on BENCH_ACCESS_NUMBER: ring 0 s then busy, call back the caller after
// BENCH_DELAY_S through that trunk, no PIN (the demo account pays), no balance prompt, one
// attempt at a 1 s destination prompt, so an unanswered prompt ends the call back quickly.
import { loadConfig } from '../../apps/server/src/config';
import { createLogger } from '../../apps/server/src/observability/logger';
import { startSystem } from '../../apps/server/src/system';

const config = loadConfig();
const system = await startSystem(config, {
  logger: createLogger(config.logLevel),
  trunks: { optionsIntervalMs: 0 },
});
const { db, trunks, callbackServices } = system.deps;
await db.deleteFrom('trunks').execute();
const trunk = await db
  .insertInto('trunks')
  .values({
    name: 'bench-carrier',
    uri: process.env.BENCH_TRUNK!,
    transport: 'udp',
    register: 0,
    enabled: 1,
    created_at: Date.now(),
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await trunks.reload();
const demo = await db
  .selectFrom('subscribers')
  .select('id')
  .where('phone_number', '=', '18005550100')
  .executeTakeFirstOrThrow();
await callbackServices.store.create(
  {
    name: 'bench',
    enabled: true,
    accessNumber: process.env.BENCH_ACCESS_NUMBER!,
    trigger: 'ring_then_busy',
    ringSeconds: 0,
    triggerPrompt: null,
    delayS: Number(process.env.BENCH_DELAY_S),
    method: 'call_caller',
    number: null,
    extension: null,
    trunkId: trunk.id,
    callerId: null,
    security: 'none',
    subscriberId: demo.id,
    announceBalance: false,
    creditQuery: false,
    firstDigitTimeoutS: 1,
    interDigitTimeoutS: 1,
    maxAttempts: 1,
    disconnectSequence: '#11',
    zeroCreditPrompt: null,
    maxConcurrent: null,
    maxPerHour: null,
    subscriberMaxConcurrent: null,
    subscriberMaxPerHour: null,
    allowedCountries: [],
    blockedPrefixes: [],
    smsSecret: null,
    smsReplyUrl: null,
  },
  { kind: 'system', id: null },
);
console.log(`READY ${system.url} ${process.pid}`);
process.on('SIGTERM', () => {
  void system.stop().then(() => process.exit(0));
});

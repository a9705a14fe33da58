// The real server for the web-callback bench, in its own process: the demo data, one trunk to the
// sipp carrier (BENCH_TRUNK), no OPTIONS keep-alives (sipp would take each one for a call), and the
// web-callback limits raised so a hundred requests a second from one account and address pass.
import { defaultWebCallbackSettings } from '@switchboard/shared';
import { loadConfig } from '../../apps/server/src/config';
import { createLogger } from '../../apps/server/src/observability/logger';
import { startSystem } from '../../apps/server/src/system';

const config = loadConfig();
const system = await startSystem(config, {
  logger: createLogger(config.logLevel),
  trunks: { optionsIntervalMs: 0 },
});
const { db, trunks, webCallbacks } = system.deps;
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
await webCallbacks.settings.set({
  ...defaultWebCallbackSettings,
  trunkId: trunk.id,
  maxPerMinutePerSubscriber: 1000,
  maxPerMinutePerAddress: 10_000,
});
console.log(`READY ${system.url} ${process.pid}`);
process.on('SIGTERM', () => {
  void system.stop().then(() => process.exit(0));
});

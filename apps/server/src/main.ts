import { formatMinor } from '@switchboard/shared';
import { ConfigError, EXIT_BAD_CONFIG, loadConfigOrExit } from './config';
import { demoCredentials, demoSubscriber } from './db/seed/demo-data';
import { createLogger } from './observability/logger';
import { startSystem } from './system';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  let system: Awaited<ReturnType<typeof startSystem>>;
  try {
    system = await startSystem(config, { logger });
  } catch (err) {
    // A setting only the database can show to be wrong (no administrator yet) is said like any other.
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(EXIT_BAD_CONFIG);
    }
    throw err;
  }
  logger.info(
    { url: system.url, sip: `${config.sip.host}:${system.sipPort}`, database: config.database.kind },
    'Switchboard is up',
  );

  if (config.env !== 'production') {
    const lines = [
      '',
      `  Switchboard is running at ${system.url}`,
      `  SIP on UDP and TCP ${config.sip.host}:${system.sipPort}, WebSocket at ${system.url.replace(/^http/, 'ws')}/sip`,
      system.seeded
        ? '  A fresh database was filled with demo data. Sign in with:'
        : '  Demo sign-ins (if the demo data is still there):',
      ...demoCredentials.map(
        (c) =>
          `    ${c.role.padEnd(10)} ${c.username.padEnd(6)} / ${c.password.padEnd(6)}${c.agentId ? `  agent ID ${c.agentId}` : ''}${c.extension ? `  ext ${c.extension}` : ''}`,
      ),
      `    portal     ${demoSubscriber.phoneNumber} / ${demoSubscriber.password}  at ${system.url}/portal (PIN ${demoSubscriber.pin}, ${formatMinor(demoSubscriber.balanceMinor, 'USD')} USD)`,
      '',
    ];
    console.log(lines.join('\n'));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await system.stop();
    process.exit(0);
  };
  // SIGTERM (an orchestrator, systemd) drains first: no new calls, the live ones end by themselves
  // within SHUTDOWN_DRAIN_SECONDS. SIGINT (Ctrl-C) stops at once. A wrapper relaying the signal to
  // its group can deliver SIGTERM twice: the second is the same drain.
  let draining = false;
  const drainThenStop = async () => {
    if (config.shutdownDrainMs === 0) return shutdown('SIGTERM');
    if (draining) return;
    draining = true;
    system.deps.drain.start('SIGTERM');
    const idle = await system.deps.drain.whenIdle(config.shutdownDrainMs);
    if (!idle)
      logger.warn(
        { liveCalls: system.deps.drain.state().liveCalls },
        'drain time over; ending the calls left',
      );
    await shutdown('SIGTERM');
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void drainThenStop());
  // A bug in one request or call must not take every other call down with it.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

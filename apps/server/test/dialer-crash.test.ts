import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { answeringCarrier } from './script-peers';
import { crashTestSetup, killGroup, startServer, until } from './server-process';
import { freeMediaPorts, freePort, startSipp } from './sip-agents';

const dialerServer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/dialer-server.ts');
const JOBS = 100;

it('SIGKILL while 100 callbacks are due, then restart: each number is dialled exactly once', {
  timeout: 120_000,
}, async ({ onTestFinished }) => {
  const setup = await crashTestSetup(onTestFinished, {
    tmpPrefix: 'sb-dialer-crash-',
    // Forty calls up at once on each side of the restart.
    rtpPorts: 400,
  });
  const { dbFile, carrierPort, env, cleanups } = setup;
  // The customers: a carrier answering every call and holding it until the switch hangs up.
  const carrier = await startSipp({
    scenario: answeringCarrier(),
    transport: 'udp',
    port: carrierPort,
    timeoutMs: 110_000,
    args: ['-m', String(JOBS * 2), '-l', '1000', '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts())],
  });
  cleanups.push(() => {
    carrier.kill();
    return carrier.exited;
  });
  const dialerEnv = {
    ...env,
    DIAL_JOBS: String(JOBS),
    DIAL_HOLD_MS: '1500',
    DIALER_CALLS_PER_SECOND: '25',
    DIALER_MAX_CONCURRENT: '40',
  };
  const first = await startServer({ ...dialerEnv, PORT: String(await freePort()) }, dialerServer);
  cleanups.push(() => killGroup(first, 'SIGKILL'));
  const db = new Database(dbFile);
  cleanups.push(() => db.close());

  const legCount = () => (db.prepare('select count(*) as n from call_legs').get() as { n: number }).n;
  // Kill it mid-run: some calls up, some jobs not yet dialled.
  await until(legCount, (n) => n >= 30, 'thirty calls placed', 60_000);
  await killGroup(first, 'SIGKILL');
  const atKill = db
    .prepare("select id from dialer_jobs where status = 'dialling' and call_id is not null")
    .all() as Array<{ id: number }>;
  const doneAtKill = (
    db.prepare("select count(*) as n from dialer_jobs where status = 'done'").get() as { n: number }
  ).n;
  expect(doneAtKill).toBeLessThan(JOBS);
  expect(atKill.length).toBeGreaterThan(0);

  const second = await startServer({ ...dialerEnv, PORT: String(await freePort()) }, dialerServer);
  cleanups.push(() => killGroup(second, 'SIGTERM'));
  const statuses = () =>
    db
      .prepare('select status, count(*) as n from dialer_jobs group by status order by status')
      .all() as Array<{
      status: string;
      n: number;
    }>;
  await until(
    statuses,
    (s) => s.every((r) => r.status === 'done' || r.status === 'interrupted'),
    'every job finished',
    90_000,
  );
  // The calls up at the kill were interrupted, never dialled again; every other job was dialled.
  const interrupted = db.prepare("select id from dialer_jobs where status = 'interrupted' order by id").all();
  expect(interrupted).toEqual(atKill.sort((a, b) => a.id - b.id));
  const perNumber = db
    .prepare(
      `select calls.customer_number as number, count(call_legs.id) as legs from calls
       join call_legs on call_legs.call_id = calls.id
       where calls.service = 'scheduled_callback' group by calls.customer_number`,
    )
    .all() as Array<{ number: string; legs: number }>;
  expect(perNumber).toHaveLength(JOBS);
  expect(perNumber.filter((r) => r.legs !== 1)).toEqual([]);
  const attempts = db
    .prepare('select outcome, count(*) as n from dialer_attempts group by outcome order by outcome')
    .all();
  expect(attempts).toEqual([
    { outcome: 'answered', n: JOBS - atKill.length },
    { outcome: 'interrupted', n: atKill.length },
  ]);
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { carrierScenario } from './call-peers';
import { answeringCarrier } from './script-peers';
import { crashTestSetup, killGroup, startServer, until } from './server-process';
import { freeMediaPorts, freePort, startSipp } from './sip-agents';

const scriptServer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/script-server.ts');

interface LegRow {
  role: string;
  answered_at: number | null;
  ended_at: number | null;
  disposition: string | null;
  hangup_cause: string | null;
}

it('SIGKILL during a script call (caller bridged to a destination), then restart: CDR and legs closed as interrupted', {
  timeout: 60_000,
}, async ({ onTestFinished }) => {
  const setup = await crashTestSetup(onTestFinished, {
    tmpPrefix: 'sb-script-crash-',
  });
  const { dbFile, carrierPort, env, cleanups } = setup;
  const did = '5550190';
  const first = await startServer({ ...env, PORT: String(await freePort()), SCRIPT_DID: did }, scriptServer);
  cleanups.push(() => killGroup(first, 'SIGKILL'));
  const db = new Database(dbFile);
  cleanups.push(() => db.close());
  const { c0 } = db.prepare('select coalesce(max(id), 0) as c0 from calls').get() as { c0: number };

  // The trunk's far end answers the destination leg and holds it; another sipp calls the number.
  // The server probes its trunk with OPTIONS from start-up, retransmitted until this sipp listens:
  // sipp takes one as a call of its own, so it may take more than one call before the INVITE.
  const destination = await startSipp({
    scenario: answeringCarrier(),
    transport: 'udp',
    port: carrierPort,
    timeoutMs: 40_000,
    args: ['-m', '5', '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts())],
  });
  cleanups.push(() => {
    destination.kill();
    return destination.exited;
  });
  const caller = await startSipp({
    scenario: carrierScenario({ did, expect: 200, talkMs: 30_000 }),
    transport: 'udp',
    remote: `127.0.0.1:${first.sipPort}`,
    timeoutMs: 40_000,
    args: ['-s', did, '-m', '1', '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts())],
  });
  cleanups.push(() => {
    caller.kill();
    return caller.exited;
  });

  const legs = (callId: number) =>
    db.prepare('select * from call_legs where call_id = ? order by id').all(callId) as LegRow[];
  const call = await until(
    () =>
      db.prepare("select * from calls where id > ? and service = 'callback_service'").get(c0) as
        | { id: number; status: string }
        | undefined,
    (c) => c !== undefined && legs(c.id).filter((l) => l.answered_at !== null).length === 2,
    'the script call with both legs answered',
  );
  await killGroup(first, 'SIGKILL');
  expect(db.prepare('select status from calls where id = ?').get(call!.id)).toEqual({ status: 'open' });

  const second = await startServer({ ...env, PORT: String(await freePort()) });
  cleanups.push(() => killGroup(second, 'SIGTERM'));
  const closed = db.prepare('select * from calls where id = ?').get(call!.id) as {
    status: string;
    disposition: string;
    hangup_cause: string;
    service: string;
  };
  expect(closed).toMatchObject({
    status: 'closed',
    disposition: 'answered',
    hangup_cause: 'interrupted',
    service: 'callback_service',
  });
  expect(legs(call!.id).map((l) => [l.role, l.disposition, l.hangup_cause, l.ended_at !== null])).toEqual([
    ['customer', 'answered', 'interrupted', true],
    ['destination', 'answered', 'interrupted', true],
  ]);
});

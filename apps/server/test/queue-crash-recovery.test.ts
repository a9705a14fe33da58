import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { carrierScenario, MediaPeer, startDesk } from './call-peers';
import { callAfterRestart, crashTestSetup, killGroup, startServer, until } from './server-process';
import { freeMediaPorts, freePort, startSipp } from './sip-agents';
import { ApiClient } from './test-system';

interface CallRow {
  id: number;
  call_uuid: string;
  status: string;
  disposition: string | null;
  hangup_cause: string | null;
  agent_user_id: number | null;
  queue_id: number | null;
  answered_at: number | null;
}

/**
 * Proven: "kill the server while calls wait and agents are paused: after restart agent
 * states are as they were, and no agent is stuck busy". The real server (tsx main.ts) on a SQLite
 * file; a sipp carrier puts three calls into support: desk phone 1004 (dave) answers the first, two
 * wait while carol is paused (Break) everywhere, sam (Meeting) for support only, alice (Lunch) in sales.
 */
it('SIGKILL with callers waiting, an agent on a queue call and agents paused: states restored, nobody stuck busy, calls interrupted, the next call delivered', {
  timeout: 75_000,
}, async ({ onTestFinished }) => {
  const setup = await crashTestSetup(onTestFinished, {
    tmpPrefix: 'sb-acd-crash-',
  });
  const { dbFile, carrierPort, env, cleanups } = setup;

  const first = await startServer({ ...env, PORT: String(await freePort()) });
  cleanups.push(() => killGroup(first, 'SIGKILL'));
  const db = new Database(dbFile);
  cleanups.push(() => db.close());
  const user = (name: string) =>
    (db.prepare('select id from users where username = ?').get(name) as { id: number }).id;
  const queue = (name: string) =>
    (db.prepare('select id from queues where name = ?').get(name) as { id: number }).id;
  const [dave, carol, sam, alice, support, sales] = [
    user('dave'),
    user('carol'),
    user('sam'),
    user('alice'),
    queue('support'),
    queue('sales'),
  ];
  const { c0 } = db.prepare('select coalesce(max(id), 0) as c0 from calls').get() as { c0: number };
  const agentRow = (id: number) =>
    db.prepare('select status, reason from agent_states where user_id = ?').get(id) as {
      status: string;
      reason: string | null;
    };

  const admin = new ApiClient(first.url);
  await admin.login('admin');
  // Long wrap-up, no announcements: what the restart must not leave behind is a busy agent.
  expect((await admin.patch(`/api/admin/queues/${support}`, { wrapupS: 600 })).status).toBe(200);
  const pause = async (name: string, reason: string, queueIds?: number[]) => {
    const c = new ApiClient(first.url);
    await c.login(name);
    const res = await c.put('/api/agents/me/state', {
      status: 'paused',
      reason,
      ...(queueIds ? { queueIds } : {}),
    });
    expect(res.status).toBe(200);
  };
  await pause('carol', 'Break');
  await pause('sam', 'Meeting', [support]);
  await pause('alice', 'Lunch');

  // dave's desk phone registers (logs him in, idle) and answers one call.
  const media = await MediaPeer.start();
  cleanups.push(() => media.close());
  const desk = await startDesk({ sipPort: first.sipPort }, 'answer', media.port, 1);
  cleanups.push(() => {
    desk.kill();
    return desk.exited;
  });
  await until(
    () => agentRow(dave),
    (r) => r?.status === 'idle',
    'dave idle',
  );
  const mp = await freeMediaPorts();
  const carrier = await startSipp({
    scenario: carrierScenario({ did: '5550101', expect: 200, talkMs: 40_000 }),
    transport: 'udp',
    port: carrierPort,
    remote: `127.0.0.1:${first.sipPort}`,
    timeoutMs: 60_000,
    args: ['-s', '5550101', '-m', '3', '-l', '3', '-mi', '127.0.0.1', '-mp', String(mp)],
  });
  cleanups.push(() => {
    carrier.kill();
    return carrier.exited;
  });
  const openCalls = () =>
    db.prepare("select * from calls where id > ? and status = 'open' order by id").all(c0) as CallRow[];
  const atKill = await until(
    openCalls,
    (rows) => rows.length === 3 && rows.filter((r) => r.answered_at !== null).length === 1,
    'one call answered, two waiting',
  );
  await until(
    () => agentRow(dave),
    (r) => r.status === 'on_call',
    'dave on call',
  );
  await media.until(() => media.audio > 10, 8000);
  const answeredId = atKill.find((r) => r.answered_at !== null)!.id;

  await killGroup(first, 'SIGKILL');
  desk.kill();
  carrier.kill();
  await Promise.all([desk.exited, carrier.exited]);
  // The database still says dave is on call: nothing ran after the kill.
  expect(agentRow(dave).status).toBe('on_call');

  const second = await startServer({ ...env, PORT: String(await freePort()) });
  cleanups.push(() => killGroup(second, 'SIGTERM'));

  // Waiting and talking calls alike are closed as interrupted; the talking one stays answered by dave.
  const calls = db.prepare('select * from calls where id > ? order by id').all(c0) as CallRow[];
  expect(calls).toHaveLength(3);
  for (const c of calls)
    expect(c).toMatchObject({
      status: 'closed',
      hangup_cause: 'interrupted',
      disposition: c.id === answeredId ? 'answered' : 'unanswered',
      agent_user_id: c.id === answeredId ? dave : null,
    });

  // Each agent as they left it.
  const stateOf = async (name: string) => {
    const c = new ApiClient(second.url);
    await c.login(name);
    const res = await c.get('/api/agents/me/state');
    expect(res.status).toBe(200);
    return res.body as {
      status: string;
      reason: string | null;
      queues: Array<{ queueId: number; paused: boolean; reason: string | null }>;
    };
  };
  const carolState = await stateOf('carol');
  expect(carolState).toMatchObject({ status: 'paused', reason: 'Break' });
  expect(carolState.queues).toEqual([
    expect.objectContaining({ queueId: support, paused: true, reason: 'Break' }),
  ]);
  const samState = await stateOf('sam');
  expect(samState.status).toBe('idle');
  expect(samState.queues.find((q) => q.queueId === support)).toMatchObject({
    paused: true,
    reason: 'Meeting',
  });
  expect(samState.queues.find((q) => q.queueId === sales)).toMatchObject({ paused: false, reason: null });
  expect(await stateOf('alice')).toMatchObject({ status: 'paused', reason: 'Lunch' });
  // dave is not stuck on the call that died with the old process (nor in its wrap-up).
  const daveState = await stateOf('dave');
  expect(['idle', 'logged_out']).toContain(daveState.status);
  expect(daveState.queues.find((q) => q.queueId === support)).toMatchObject({ paused: false });
  expect(agentRow(dave).status).not.toMatch(/on_call|wrapup/);
  for (const id of [carol, sam, alice]) expect(agentRow(id).status).not.toMatch(/on_call|wrapup/);

  // His phone registers again and the next support call is delivered to him.
  const call = await callAfterRestart(setup, second, {
    did: '5550101',
    mediaPort: mp,
    timeoutMs: 20_000,
    deskReady: () =>
      until(
        () => agentRow(dave),
        (r) => r.status === 'idle',
        'dave idle after the restart',
      ),
  });
  expect(call.carrierExit, call.carrier.output).toBe(0);
  expect(call.deskExit, call.desk.output).toBe(0);
  expect(call.media.audio).toBeGreaterThan(20);
  const last = await until(
    () => db.prepare('select * from calls order by id desc limit 1').get() as CallRow,
    (r) => r.status === 'closed',
    'the new call closed',
    5000,
  );
  expect(last).toMatchObject({ queue_id: support, agent_user_id: dave, disposition: 'answered' });
  expect(last.id).toBeGreaterThan(Math.max(...calls.map((c) => c.id)));
  // Paused agents stayed paused through the restart and the new call.
  expect(agentRow(carol)).toMatchObject({ status: 'paused', reason: 'Break' });
});

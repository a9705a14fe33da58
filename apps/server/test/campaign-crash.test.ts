// A progressive campaign when its server is SIGKILLed mid-call and started again on the same
// database: the task whose customer was on the line is closed `interrupted` and never dialled again
// (the customer may have been reached), and every other task is dialled exactly once, by the first
// process or by the second. Dave's sipp desk phone answers; a sipp carrier is the customers.
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { MediaPeer, startDesk } from './call-peers';
import { createDialTask } from './dial-task-fixtures';
import { crashTestSetup, killGroup, startServer, until } from './server-process';
import { freeMediaPorts, freePort, startSipp } from './sip-agents';
import { customerHangsUp } from './sipp/uas-scenario';
import { ApiClient } from './test-system';

const TASKS = 6;

it('SIGKILL during a campaign call, then restart: that task is closed interrupted, every other dialled once', {
  timeout: 150_000,
}, async ({ onTestFinished }) => {
  const setup = await crashTestSetup(onTestFinished, { tmpPrefix: 'sb-campaign-crash-', rtpPorts: 100 });
  const { dbFile, env, cleanups } = setup;
  // Each customer answers and hangs up after 2.5 s: long enough for the kill to land mid-call.
  const carrier = await startSipp({
    scenario: customerHangsUp(2500),
    transport: 'udp',
    port: setup.carrierPort,
    timeoutMs: 140_000,
    // The switches' OPTIONS probes count among sipp's calls too.
    args: ['-m', String(TASKS * 4), '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts()), '-trace_err'],
  });
  cleanups.push(() => {
    carrier.kill();
    return carrier.exited;
  });
  const media = await MediaPeer.start();
  cleanups.push(() => media.close());

  const first = await startServer({ ...env, PORT: String(await freePort()) });
  cleanups.push(() => killGroup(first, 'SIGKILL'));
  const firstDesk = await startDesk({ sipPort: first.sipPort }, 'answer', media.port, TASKS);
  cleanups.push(() => {
    firstDesk.kill();
    return firstDesk.exited;
  });
  const sam = new ApiClient(first.url);
  await sam.login('sam');
  const dave = new ApiClient(first.url);
  await dave.login('dave');
  const db = new Database(dbFile);
  cleanups.push(() => db.close());
  const daveId = (db.prepare("select id from users where username = 'dave'").get() as { id: number }).id;

  const numbers = Array.from({ length: TASKS }, (_, i) => `+1202555017${i}`);
  const taskIds: number[] = [];
  for (const [i, n] of numbers.entries()) taskIds.push(await createDialTask(sam, daveId, n, `crash ${i}`));
  const created = await sam.post('/api/campaigns', {
    name: 'Crash',
    mode: 'progressive',
    agentIds: [daveId],
    maxAttempts: 1,
    callingHours: { from: '00:00', to: '00:00' },
  });
  expect(created.status, created.text).toBe(201);
  const campaignId = created.body.campaign.id as number;
  expect((await sam.post(`/api/campaigns/${campaignId}/tasks`, { taskIds })).status).toBe(201);
  expect((await dave.put(`/api/campaigns/${campaignId}/agents/me`)).status).toBe(200);
  expect((await sam.post(`/api/campaigns/${campaignId}/start`)).status).toBe(200);

  type Job = { id: number; subject_id: number };
  const upWithCall = () =>
    db
      .prepare(
        "select id, subject_id from dialer_jobs where kind = 'campaign_task' and status = 'dialling' and call_id is not null",
      )
      .all() as Job[];
  const doneJobs = () =>
    (
      db
        .prepare("select count(*) as n from dialer_jobs where kind = 'campaign_task' and status = 'done'")
        .get() as {
        n: number;
      }
    ).n;
  // Kill it with one customer's call done and the next one's on the line.
  await until(
    () => (doneJobs() >= 1 ? upWithCall() : []),
    (jobs) => jobs.length > 0,
    'a second call up',
    60_000,
  );
  await killGroup(first, 'SIGKILL');
  firstDesk.kill();
  await firstDesk.exited;
  const atKill = upWithCall();
  expect(atKill.length).toBe(1);
  const cutTask = atKill[0]!.subject_id;
  expect(doneJobs()).toBeLessThan(TASKS - 1);

  const second = await startServer({ ...env, PORT: String(await freePort()) });
  cleanups.push(() => killGroup(second, 'SIGTERM'));
  // Bindings are in memory: dave's phone registers again with the new process.
  const secondDesk = await startDesk({ sipPort: second.sipPort }, 'answer', media.port, TASKS);
  cleanups.push(() => {
    secondDesk.kill();
    return secondDesk.exited;
  });
  const campaignState = () =>
    (db.prepare('select state from campaigns where id = ?').get(campaignId) as { state: string }).state;
  await until(campaignState, (s) => s === 'finished', 'the campaign finished', 90_000);

  // The cut task: closed as interrupted, its customer dialled once (before the kill), never again.
  const cut = db
    .prepare('select status, outcome, attempts from campaign_tasks where task_id = ?')
    .get(cutTask);
  expect(cut).toEqual({ status: 'closed', outcome: 'interrupted', attempts: 1 });
  const others = db
    .prepare('select status, outcome, attempts from campaign_tasks where task_id != ? order by task_id')
    .all(cutTask);
  expect(others).toEqual(
    Array.from({ length: TASKS - 1 }, () => ({ status: 'done', outcome: 'answered', attempts: 1 })),
  );
  const jobs = db
    .prepare(
      "select status, count(*) as n from dialer_jobs where kind = 'campaign_task' group by status order by status",
    )
    .all();
  expect(jobs).toEqual([
    { status: 'done', n: TASKS - 1 },
    { status: 'interrupted', n: 1 },
  ]);
  const legs = db
    .prepare(
      `select calls.customer_number as number, count(call_legs.id) as legs from calls
       join call_legs on call_legs.call_id = calls.id and call_legs.role = 'customer'
       where calls.service = 'campaign' group by calls.customer_number order by calls.customer_number`,
    )
    .all();
  expect(legs).toEqual(numbers.map((number) => ({ number, legs: 1 })));
});

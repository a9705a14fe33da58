import { expect, it } from 'vitest';
import { deferrer } from './defer';
import { ids, stackCaller, startSwitch } from './queue-harness';
import { allCallsEnded } from './switch-events';

/** The value of one sample in a Prometheus text scrape, or null when the series is absent. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

it('a carrier call waiting in a queue, then abandoned, moves the queue, agent and trunk metrics', {
  timeout: 20_000,
}, async ({ onTestFinished }) => {
  const defer = deferrer(onTestFinished);
  const sys = await startSwitch(defer);
  const { support } = await ids(sys);
  const scrape = async () => {
    const res = await sys.client().get('/metrics');
    expect(res.status).toBe(200);
    return res.text;
  };
  const before = await scrape();
  expect(sample(before, 'switchboard_queue_waiting', { queue: 'support' })).toBe(0);
  // The demo data has calls of its own today: the test counts what its call adds.
  const today = (scrape: string, outcome: string) =>
    sample(scrape, 'switchboard_queue_calls_today', { queue: 'support', outcome }) ?? Number.NaN;
  const abandonedBefore = today(before, 'abandoned');
  const answeredBefore = today(before, 'answered');
  expect(abandonedBefore).toBeGreaterThanOrEqual(0);
  // Nobody has registered a phone: every demo agent is logged out.
  expect(sample(before, 'switchboard_agents', { state: 'logged_out' })).toBeGreaterThan(0);
  expect(sample(before, 'switchboard_agents', { state: 'idle' })).toBe(0);
  expect(sample(before, 'switchboard_trunk_calls_total', { direction: 'inbound' })).toBeNull();
  // Stock Node.js dashboards find the process metrics under their usual names.
  expect(sample(before, 'process_cpu_user_seconds_total')).not.toBeNull();
  expect(sample(before, 'nodejs_eventloop_lag_seconds')).not.toBeNull();

  const caller = await stackCaller(defer, sys, '5550101');
  expect(sys.deps.queues.waitingCount(support)).toBe(1);
  const during = await scrape();
  expect(sample(during, 'switchboard_queue_waiting', { queue: 'support' })).toBe(1);
  expect(
    sample(during, 'switchboard_queue_longest_wait_seconds', { queue: 'support' }),
  ).toBeGreaterThanOrEqual(0);
  expect(sample(during, 'switchboard_trunk_calls_total', { direction: 'inbound' })).toBe(1);
  expect(
    sample(during, 'switchboard_queue_agents', { queue: 'support', state: 'logged_out' }),
  ).toBeGreaterThan(0);

  await caller.dialog.bye();
  await allCallsEnded(sys);
  const after = await scrape();
  expect(sample(after, 'switchboard_queue_waiting', { queue: 'support' })).toBe(0);
  expect(today(after, 'abandoned')).toBe(abandonedBefore + 1);
  expect(today(after, 'answered')).toBe(answeredBefore);
  const level = sample(after, 'switchboard_queue_service_level_ratio', { queue: 'support' });
  expect(level).toBeGreaterThanOrEqual(0);
  expect(level).toBeLessThanOrEqual(1);
});

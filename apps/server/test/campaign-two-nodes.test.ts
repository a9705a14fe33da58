// A progressive campaign worked from two server nodes on one PostgreSQL: dave's desk phone is
// registered on node A, carol's on node B. Each node dials for the agents registered on it (the agent
// board is per node), and a task is claimed by one node only, so every customer is dialled once and
// both agents get calls.
import { describe, expect, it } from 'vitest';
import { answeringDeskAs, MediaPeer } from './call-peers';
import { deferrer } from './defer';
import { createDialTask } from './dial-task-fixtures';
import { startCarrier, trunksTo } from './script-peers';
import { customerHangsUp } from './sipp/uas-scenario';
import { loggedInAs, startTwoNodes, userId } from './test-system';

const pgUrl = process.env.TEST_DATABASE_URL;

const suite = pgUrl ? describe : describe.skip;
suite(`campaign on two nodes${pgUrl ? '' : ' — skipped: set TEST_DATABASE_URL to run'}`, () => {
  it('each node dials for its own agents; every task is dialled once and both agents take calls', {
    timeout: 120_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const [nodeA, nodeB] = await startTwoNodes(defer);

    const carrier = await startCarrier(defer, customerHangsUp(600), { calls: 30, timeoutMs: 90_000 });
    await trunksTo(nodeA, [carrier]);
    await nodeB.deps.trunks.reload();
    const media = await MediaPeer.start();
    defer(() => media.close());
    await answeringDeskAs(nodeA, defer, '1004', media.port, 10);
    await answeringDeskAs(nodeB, defer, '1003', media.port, 10);

    const sam = await loggedInAs(nodeA, 'sam');
    const daveId = await userId(nodeA, 'dave');
    const carolId = await userId(nodeA, 'carol');
    const numbers = ['30', '31', '32', '33', '34', '35'].map((n) => `+1 202 555 01${n}`);
    const ids: number[] = [];
    for (const [i, n] of numbers.entries()) ids.push(await createDialTask(sam, daveId, n, `two nodes ${i}`));
    const created = await sam.post('/api/campaigns', {
      name: 'Two nodes',
      mode: 'progressive',
      agentIds: [daveId, carolId],
      maxAttempts: 1,
      callingHours: { from: '00:00', to: '00:00' },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.campaign.id as number;
    expect((await sam.post(`/api/campaigns/${id}/tasks`, { taskIds: ids })).status).toBe(201);
    // Each agent joins through the node their desk is on.
    expect((await (await loggedInAs(nodeA, 'dave')).put(`/api/campaigns/${id}/agents/me`)).status).toBe(200);
    expect((await (await loggedInAs(nodeB, 'carol')).put(`/api/campaigns/${id}/agents/me`)).status).toBe(200);
    expect((await sam.post(`/api/campaigns/${id}/start`)).status).toBe(200);
    // Node B hears of the running campaign at its next look; a nudge makes that now.
    nodeB.deps.campaigns.dialing.kick();

    await expect
      .poll(
        async () =>
          (await nodeA.db.selectFrom('campaigns').select('state').where('id', '=', id).executeTakeFirst())
            ?.state,
        { timeout: 90_000, interval: 250 },
      )
      .toBe('finished');

    const calls = await nodeA.db
      .selectFrom('calls')
      .select(['customer_number', 'agent_user_id', 'node_id', 'disposition'])
      .where('service', '=', 'campaign')
      .execute();
    // Every customer once, never twice, whichever node dialled them.
    expect(calls.map((c) => c.customer_number).sort()).toEqual(
      numbers.map((n) => n.replace(/ /g, '')).sort(),
    );
    // Dave's calls were placed by node A, carol's by node B, and both took some.
    const byAgent = (agent: number) => calls.filter((c) => c.agent_user_id === agent);
    expect(byAgent(daveId).length).toBeGreaterThan(0);
    expect(byAgent(carolId).length).toBeGreaterThan(0);
    expect(byAgent(daveId).length + byAgent(carolId).length).toBe(numbers.length);
    expect(new Set(byAgent(daveId).map((c) => c.node_id))).toEqual(new Set(['node-a']));
    expect(new Set(byAgent(carolId).map((c) => c.node_id))).toEqual(new Set(['node-b']));
    const tasks = (await sam.get(`/api/campaigns/${id}/tasks`)).body.tasks as Array<{ status: string }>;
    expect(tasks.map((t) => t.status)).toEqual(numbers.map(() => 'done'));
  });
});

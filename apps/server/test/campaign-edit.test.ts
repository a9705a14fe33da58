// Editing a campaign: supervisors change its settings and who works it; the mode is refused while it
// runs; bad input is a 400 that changes nothing; each change is audited.
import { expect, it } from 'vitest';
import { createDialTask } from './dial-task-fixtures';
import { describeEachDatabase, loggedInAs, userId } from './test-system';

describeEachDatabase('editing a campaign', (sys) => {
  it('changes the given fields, refuses the mode while running and bad input, and audits each change', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const daveId = await userId(sys(), 'dave');
    const carolId = await userId(sys(), 'carol');
    const created = await sam.post('/api/campaigns', {
      name: 'Spring',
      mode: 'progressive',
      agentIds: [daveId],
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.campaign.id as number;

    const edited = await sam.patch(`/api/campaigns/${id}`, {
      name: 'Spring offers',
      mode: 'predictive',
      agentIds: [carolId],
      callerId: '+12025550100',
      maxAttempts: 5,
      retryDelaySeconds: { busy: 60, no_answer: 120, failed: 180, abandoned: 240 },
      callingHours: { from: '10:00', to: '18:00' },
      abandonCapPercent: 2.5,
      abandonPrompt: 'sound:4',
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.campaign).toMatchObject({
      name: 'Spring offers',
      mode: 'predictive',
      agents: [{ id: carolId, joined: false }],
      maxAttempts: 5,
      retryDelaySeconds: { busy: 60, no_answer: 120, failed: 180, abandoned: 240 },
      callingHours: { from: '10:00', to: '18:00' },
      abandonCapPercent: 2.5,
      abandonPrompt: 'sound:4',
    });
    expect(edited.body.campaign.callerId).toBe('+12025550100');
    // Only the fields given change.
    const renamed = await sam.patch(`/api/campaigns/${id}`, { name: 'Spring deals' });
    expect(renamed.body.campaign).toMatchObject({ name: 'Spring deals', mode: 'predictive', maxAttempts: 5 });

    const unchanged = (await sam.get(`/api/campaigns/${id}`)).body.campaign;
    const bad = [
      {},
      { name: '' },
      { mode: 'turbo' },
      { maxAttempts: 0 },
      { abandonCapPercent: 51 },
      { callingHours: { from: '9', to: '10:00' } },
      { agentIds: [] },
      { pace: 2 },
      { queueId: 999_999 },
      { agentIds: [999_999] },
    ];
    for (const body of bad) {
      const res = await sam.patch(`/api/campaigns/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    const alice = await loggedInAs(sys(), 'alice');
    expect((await alice.patch(`/api/campaigns/${id}`, { name: 'Mine' })).status).toBe(403);
    expect((await sam.patch('/api/campaigns/999999', { name: 'Ghost' })).status).toBe(404);
    expect((await sam.get(`/api/campaigns/${id}`)).body.campaign).toEqual(unchanged);

    // Running: the mode is refused, other fields still change.
    const taskId = await createDialTask(sam, carolId, '+1 202 555 0144');
    expect((await sam.post(`/api/campaigns/${id}/tasks`, { taskIds: [taskId] })).status).toBe(201);
    expect((await sam.post(`/api/campaigns/${id}/pause`)).status).toBe(409);
    const started = await sam.post(`/api/campaigns/${id}/start`);
    expect(started.status, started.text).toBe(200);
    const modeChange = await sam.patch(`/api/campaigns/${id}`, { mode: 'preview', name: 'Other' });
    expect(modeChange.status).toBe(409);
    expect((await sam.get(`/api/campaigns/${id}`)).body.campaign).toMatchObject({
      name: 'Spring deals',
      mode: 'predictive',
    });
    const capChange = await sam.patch(`/api/campaigns/${id}`, { abandonCapPercent: 1 });
    expect(capChange.status, capChange.text).toBe(200);
    expect(capChange.body.campaign.abandonCapPercent).toBe(1);
    expect((await sam.post(`/api/campaigns/${id}/pause`)).status).toBe(200);

    const audit = await sys()
      .db.selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity', '=', 'campaign')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'update')
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(3);
    expect(JSON.parse(String(audit[1]!.after))).toEqual({ name: 'Spring deals' });
  });
});

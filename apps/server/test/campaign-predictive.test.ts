// A predictive campaign end to end: sipp as the carrier where most customers do not pick up (busy or
// unavailable) and the last few answer, and two sipp desk phones (dave and carol, who joined). Pacing
// dials ahead of the free agents once the low answer rate is measured; the CDRs, the tasks and the
// campaign's live figures must agree on what happened, and no customer may reach two agents.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { answeringDeskAs, MediaPeer } from './call-peers';
import { deferrer } from './defer';
import { createDialTask } from './dial-task-fixtures';
import { startCarrier, trunksTo } from './script-peers';
import { phoneSdp, sippScenarioXml, uasReply } from './sipp/uas-scenario';
import { describeEachDatabase, loggedInAs, userId } from './test-system';

/**
 * Customers: numbers ending 010x are busy, 011x unavailable (480), the others answer and talk for
 * `talkMs` before hanging up, unless the switch hangs up first (an abandoned customer).
 */
function customers(talkMs: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-predictive-'));
  const file = path.join(dir, 'customers.xml');
  const bye = `
  <send retrans="500"><![CDATA[
      BYE [$contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:carrier@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
      To:[$theirs]
      [last_Call-ID:]
      CSeq: 1 BYE
      Contact: <sip:carrier@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" />`;
  writeFileSync(
    file,
    sippScenarioXml(
      'customers answering a fraction of calls',
      `<recv request="INVITE">
    <action>
      <ereg regexp="^INVITE sip:\\+?120255501[0]" search_in="msg" check_it="false" assign_to="busy" />
      <ereg regexp="^INVITE sip:\\+?120255501[1]" search_in="msg" check_it="false" assign_to="away" />
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="theirs" />
      <ereg regexp="sip:[^>]*" search_in="hdr" header="Contact:" assign_to="contact" />
    </action>
  </recv>
  <nop test="busy" next="busy" />
  <nop test="away" next="away" />${uasReply('180 Ringing', { contactUser: 'carrier' })}
  <pause milliseconds="100" />${uasReply('200 OK', { contactUser: 'carrier', sdp: phoneSdp() })}
  <recv request="ACK" />
  <recv request="BYE" timeout="${talkMs}" ontimeout="talked" />
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]></send>
  <nop next="done" />
  <label id="talked" />${bye}
  <nop next="done" />
  <label id="busy" />${uasReply('486 Busy Here', { contactUser: 'carrier' })}
  <recv request="ACK" />
  <nop next="done" />
  <label id="away" />${uasReply('480 Temporarily Unavailable', { contactUser: 'carrier' })}
  <recv request="ACK" />
  <label id="done" />
  <pause milliseconds="200" />`,
    ),
  );
  return file;
}

describeEachDatabase('predictive campaign', (sys) => {
  it('dials more than one customer per free agent at a low answer rate, connects each customer to at most one agent, and its abandon figures match the CDRs', {
    timeout: 150_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const carrier = await startCarrier(defer, customers(3000), { calls: 60, timeoutMs: 120_000 });
    await trunksTo(sys(), [carrier]);
    const media = await MediaPeer.start();
    defer(() => media.close());
    await answeringDeskAs(sys(), defer, '1004', media.port, 30);
    await answeringDeskAs(sys(), defer, '1003', media.port, 30);
    const sam = await loggedInAs(sys(), 'sam');
    const daveId = await userId(sys(), 'dave');
    const carolId = await userId(sys(), 'carol');
    // Twelve customers who do not pick up first, then six who do.
    const numbers = [
      ...['00', '01', '02', '03', '04', '05', '06', '07'].map((n) => `+1 202 555 01${n}`),
      ...['10', '11', '12', '13'].map((n) => `+1 202 555 01${n}`),
      ...['20', '21', '22', '23', '24', '25'].map((n) => `+1 202 555 01${n}`),
    ];
    const ids: number[] = [];
    for (const [i, n] of numbers.entries()) ids.push(await createDialTask(sam, daveId, n, `predictive ${i}`));
    const created = await sam.post('/api/campaigns', {
      name: 'Winback',
      mode: 'predictive',
      agentIds: [daveId, carolId],
      maxAttempts: 1,
      callingHours: { from: '00:00', to: '00:00' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.campaign).toMatchObject({
      mode: 'predictive',
      abandonCapPercent: 3,
      abandonPrompt: null,
    });
    const id = created.body.campaign.id as number;
    expect((await sam.post(`/api/campaigns/${id}/tasks`, { taskIds: ids })).status).toBe(201);
    for (const name of ['dave', 'carol']) {
      const agent = await loggedInAs(sys(), name);
      expect((await agent.put(`/api/campaigns/${id}/agents/me`)).status).toBe(200);
    }
    const paced: number[] = [];
    const finished = new Promise<void>((resolve) => {
      const off = sys().deps.events.subscribe({ userId: 0, role: 'supervisor' }, (e) => {
        if (e.event.type !== 'campaign' || e.event.campaignId !== id) return;
        if (e.event.stats.dialsPerAgent !== null) paced.push(e.event.stats.dialsPerAgent);
        if (e.event.state === 'finished') {
          off();
          resolve();
        }
      });
      defer(off);
    });
    // Whose desk hears of which customer: only the agent the dialer rings for them.
    const rungFor = new Map<number, number[]>();
    for (const agentId of [daveId, carolId]) {
      const off = sys().deps.events.subscribe({ userId: agentId, role: 'agent' }, (e) => {
        if (e.event.type !== 'campaign_call' || e.event.campaignId !== id) return;
        rungFor.set(e.event.taskId, [...(rungFor.get(e.event.taskId) ?? []), agentId]);
      });
      defer(off);
    }
    const started = await sam.post(`/api/campaigns/${id}/start`);
    expect(started.status, started.text).toBe(200);
    await finished;

    // Customers dialled per free agent went above one once the low answer rate was measured.
    expect(Math.max(...paced)).toBeGreaterThan(1);

    const calls = await sys()
      .db.selectFrom('calls')
      .select(['id', 'customer_number', 'agent_user_id', 'hangup_cause', 'disposition'])
      .where('service', '=', 'campaign')
      .orderBy('id')
      .execute();
    // Each task dialled once (one attempt each), never a number twice.
    expect(calls.map((c) => c.customer_number).sort()).toEqual(
      numbers.map((n) => n.replace(/ /g, '')).sort(),
    );
    const legs = await sys()
      .db.selectFrom('call_legs')
      .select(['call_id', 'role', 'disposition'])
      .where(
        'call_id',
        'in',
        calls.map((c) => c.id),
      )
      .execute();
    const answeredAgents = (callId: number) =>
      legs.filter((l) => l.call_id === callId && l.role === 'agent' && l.disposition === 'answered').length;
    for (const c of calls) expect(answeredAgents(c.id)).toBeLessThanOrEqual(1);
    const abandonedCalls = calls.filter((c) => c.hangup_cause === 'abandoned');
    for (const c of abandonedCalls) expect(answeredAgents(c.id)).toBe(0);
    const connected = calls.filter((c) => answeredAgents(c.id) === 1);
    for (const c of connected) expect([daveId, carolId]).toContain(c.agent_user_id);
    // The six who picked up were either connected to an agent or abandoned.
    expect(connected.length + abandonedCalls.length).toBe(6);

    const campaign = (await sam.get(`/api/campaigns/${id}`)).body.campaign;
    expect(campaign.state).toBe('finished');
    expect(campaign.stats).toMatchObject({
      dialled: numbers.length,
      answered: connected.length,
      abandoned: abandonedCalls.length,
      remaining: 0,
      abandonRate: Math.round((abandonedCalls.length / 6) * 10_000) / 100,
    });
    const tasks = (await sam.get(`/api/campaigns/${id}/tasks`)).body.tasks as Array<{
      id: number;
      status: string;
      outcome: string;
      agent: { id: number } | null;
    }>;
    expect(tasks.filter((t) => t.outcome === 'abandoned')).toHaveLength(abandonedCalls.length);
    expect(tasks.filter((t) => t.status === 'done')).toHaveLength(connected.length);
    for (const t of tasks.filter((t) => t.status === 'done')) {
      expect([daveId, carolId]).toContain(t.agent?.id);
      expect(rungFor.get(t.id)).toEqual([t.agent?.id]);
    }
    // Both agents are free again once the campaign is done with them.
    expect(sys().deps.agents.board.get(daveId)?.reservedFor).toBeNull();
    expect(sys().deps.agents.board.get(carolId)?.reservedFor).toBeNull();
  });
});

import { PortPool, RtpLeg } from '@switchboard/media';
import type { SipStack } from '@switchboard/sip';
import { freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import { parseDialReference, resolveDialReference } from '../src/switch/calls/dial-reference';
import { carrierUasScenario, deskPhoneStack } from './call-peers';
import { deferrer } from './defer';
import { freeMediaPorts, startSipp } from './sip-agents';
import { allCallsEnded } from './switch-events';
import { TestSystem } from './test-system';

const masking = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: true } as const;

/** Dave's desk phone (extension 1004) dials a user part; resolves the final response and dialog. */
async function dial(phone: SipStack, sys: TestSystem, leg: RtpLeg, user: string) {
  const inv = phone.invite(
    phone.createRequest('INVITE', `sip:${user}@127.0.0.1:${sys.sipPort}`, {
      from: 'sip:1004@127.0.0.1',
      body: await leg.createOffer(),
      contentType: 'application/sdp',
    }),
  );
  return inv.done;
}

describe.concurrent('dial by reference (ref-phone-/ref-cdr-/ref-task-) from an extension', () => {
  it("ref-phone of the agent's own customer reaches the carrier with the real number; another agent's → 404", {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const mp = await freeMediaPorts();
    const carrier = await startSipp({
      scenario: carrierUasScenario(false, '+12025550143'),
      transport: 'udp',
      timeoutMs: 20_000,
      args: ['-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-rtp_echo', '-trace_err'],
    });
    defer(() => {
      carrier.kill();
      return carrier.exited;
    });
    const min = await freeUdpRange(100);
    const sys = await TestSystem.start(
      'sqlite',
      {
        TRUNK_URI: `sip:127.0.0.1:${carrier.port}`,
        RTP_PORT_MIN: String(min),
        RTP_PORT_MAX: String(min + 99),
      },
      { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs: 4000 } },
    );
    defer(() => sys.stop());
    await sys.db.updateTable('trunks').set({ register: 0 }).execute();
    await sys.deps.trunks.reload();

    // Masking on: the agents only ever see masked digits.
    const admin = sys.client();
    await admin.login('admin');
    expect((await admin.put('/api/admin/settings', { numberMasking: masking })).status).toBe(200);
    const dave = sys.client();
    await dave.login('dave');
    const own = await dave.post('/api/customers', { name: 'Dave Customer', phones: ['+1 202 555 0143'] });
    expect(own.status, own.text).toBe(201);
    const ownPhone = own.body.customer.phones[0];
    expect(ownPhone.number).toBe('+12*******43');
    const bob = sys.client();
    await bob.login('bob');
    const other = await bob.post('/api/customers', { name: 'Bob Customer', phones: ['+1 202 555 0177'] });
    expect(other.status, other.text).toBe(201);
    const otherPhone = other.body.customer.phones[0];

    const phone = await deskPhoneStack(sys);
    defer(() => phone.close());
    const leg = await RtpLeg.create({
      pool: new PortPool({ min: min + 50, max: min + 99 }),
      bindAddress: '127.0.0.1',
    });
    defer(() => leg.close());

    // Not the agent's customer: 404, and the CDR does not carry the other customer's number.
    const refused = await dial(phone, sys, leg, `ref-phone-${otherPhone.id}`);
    expect(refused.response.status).toBe(404);
    await allCallsEnded(sys);
    const refusedCdr = await sys.db
      .selectFrom('calls')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(refusedCdr).toMatchObject({ disposition: 'failed', customer_number: null });
    expect(JSON.stringify(refusedCdr)).not.toContain('5550177');
    // Unknown records are refused the same way.
    expect((await dial(phone, sys, leg, 'ref-task-999999')).response.status).toBe(404);
    await allCallsEnded(sys);

    // The agent's own customer: the carrier's INVITE carries the real E.164 number.
    const { response, dialog } = await dial(phone, sys, leg, `ref-phone-${ownPhone.id}`);
    if (response.status !== 200) carrier.kill('SIGTERM');
    expect(
      response.status,
      response.status !== 200 ? await carrier.exited.then(() => carrier.output) : '',
    ).toBe(200);
    await leg.acceptAnswer(response.bodyText);
    await dialog!.bye();
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys);
    const cdr = await sys.db.selectFrom('calls').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({
      type: 'manual',
      disposition: 'answered',
      customer_number: '+12025550143',
    });
  });

  it('ref-cdr and ref-task follow the API rules: agents only their own calls and tasks, supervisors any', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await TestSystem.start(
      'sqlite',
      { TRUNK_URI: 'sip:127.0.0.1:9' },
      { trunks: { optionsIntervalMs: 0 } },
    );
    defer(() => sys.stop());
    const user = (username: string) =>
      sys.db
        .selectFrom('users')
        .select(['id', 'role'])
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
    const [dave, bob, sam] = await Promise.all([user('dave'), user('bob'), user('sam')]);
    const as = (u: { id: number; role: string }) => ({
      userId: u.id,
      role: u.role as 'agent' | 'supervisor',
    });
    const now = Date.now();
    const task = await sys.db
      .insertInto('dial_tasks')
      .values({
        customer_id: null,
        number: '+12025550188',
        assigned_user_id: dave.id,
        created_by_user_id: sam.id,
        start_at: now,
        end_at: now + 3_600_000,
        note: null,
        claimed_by: null,
        claimed_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const taskRef = parseDialReference(`ref-task-${task.id}`)!;
    expect(await resolveDialReference(sys.db, as(dave), taskRef)).toBe('+12025550188');
    expect(await resolveDialReference(sys.db, as(bob), taskRef)).toBeNull();
    expect(await resolveDialReference(sys.db, as(sam), taskRef)).toBe('+12025550188');

    const cdr = await sys.db
      .selectFrom('calls')
      .select(['id', 'agent_user_id', 'customer_number'])
      .where('agent_user_id', 'is not', null)
      .where('customer_number', 'is not', null)
      .executeTakeFirstOrThrow();
    const owner = { userId: cdr.agent_user_id!, role: 'agent' as const };
    const cdrRef = parseDialReference(`ref-cdr-${cdr.id}`)!;
    expect(await resolveDialReference(sys.db, owner, cdrRef)).toBe(cdr.customer_number);
    const stranger = [dave, bob].find((u) => u.id !== cdr.agent_user_id)!;
    expect(await resolveDialReference(sys.db, as(stranger), cdrRef)).toBeNull();
    expect(await resolveDialReference(sys.db, as(sam), cdrRef)).toBe(cdr.customer_number);
    expect(parseDialReference('ref-phone-0')).toBeNull();
    expect(parseDialReference('ref-phone-12x')).toBeNull();
    expect(parseDialReference('2025550143')).toBeNull();
    expect(await resolveDialReference(sys.db, { userId: null, role: null }, taskRef)).toBeNull();

    // Click-to-dial by task (desk phones) follows the same rules: bob 404; dave's phone is not registered.
    const bobClient = sys.client();
    await bobClient.login('bob');
    expect((await bobClient.post('/api/calls/click-to-dial', { dialTaskId: task.id })).status).toBe(404);
    const daveClient = sys.client();
    await daveClient.login('dave');
    const res = await daveClient.post('/api/calls/click-to-dial', { dialTaskId: task.id });
    expect(res.status, res.text).toBe(409);
    expect(res.body.error.code).toBe('not_registered');
  });
});

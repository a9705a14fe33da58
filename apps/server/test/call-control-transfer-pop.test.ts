import { describe, expect, it } from 'vitest';
import { customerPhone, databases, deskPhone, hears, startSwitch } from './call-control-harness';
import { deferrer } from './defer';
import { allCallsEnded, nextEvent } from './switch-events';
import { userId } from './test-system';

/**
 * A queue call blind-transferred to another agent: while the receiving agent's phone rings they are
 * told about it (their screen pop opens on that event) and may look the caller up; once they have
 * the call they still may. Before that, the lookup answered "not a call of yours".
 */
describe('blind transfer of a queue call: the receiving agent sees the caller', () => {
  for (const db of databases)
    it(`alice takes a sales call and passes it to carol, whose lookup works while she rings [${db}]`, {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, db);
      const alice = await deskPhone(defer, sys, 'alice');
      const carol = await deskPhone(defer, sys, 'carol');
      const customer = await customerPhone(defer);
      const carolId = await userId(sys, 'carol');

      const placed = customer.call(sys, '5550100', '+12025550166');
      const offer = await alice.nextInvite();
      const callId = offer.request.get('x-switchboard-call-id') ?? '';
      expect(offer.request.get('x-switchboard-queue')).toBe('sales');
      await alice.answer(offer);
      expect((await placed).status).toBe(200);
      await hears(customer, [alice]);

      const aliceApi = sys.client();
      await aliceApi.login('alice');
      const carolApi = sys.client();
      await carolApi.login('carol');
      // Not carol's call yet: nothing for her to look at.
      expect((await carolApi.get(`/api/customers/lookup?callId=${callId}`)).status).toBe(404);

      const ringingForCarol = nextEvent(sys, 'call', (e) => e.callId === callId && e.state === 'ringing');
      const res = await aliceApi.post(`/api/calls/${callId}/transfer`, {
        to: { kind: 'user', userId: carolId },
      });
      expect(res.status).toBe(200);
      const invite = await carol.nextInvite();
      const ringing = await ringingForCarol;
      expect(ringing).toMatchObject({ queue: 'sales', otherParty: '+12025550166' });
      const whileRinging = await carolApi.get(`/api/customers/lookup?callId=${callId}`);
      expect(whileRinging.status).toBe(200);
      expect(whileRinging.body.number).toBe('+12025550166');

      await carol.answer(invite);
      await hears(customer, [carol]);
      expect((await carolApi.get(`/api/customers/lookup?callId=${callId}`)).status).toBe(200);
      await carol.dialog!.bye();
      await allCallsEnded(sys, 8000);
    });
});

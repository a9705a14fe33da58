import { SipStack } from '@switchboard/sip';
import { freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import { deferrer } from './defer';
import { type DatabaseKind, loggedInAs, TestSystem } from './test-system';

const kinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** The caller's real number and the ways it can be written; none may reach a masked agent. */
const REAL = '+14155559876';
const LEAKS = ['4155559876', '415-555-9876', '555-9876', '5559876'];

/** Every GET an agent's desk makes (and a few more), with the ids of this test's data filled in. */
function agentGets(queueId: number): string[] {
  return [
    '/api/me',
    '/api/queues',
    `/api/queues/${queueId}/waiting`,
    `/api/queues/${queueId}/stats`,
    '/api/agents',
    '/api/agents/me/state',
    '/api/calls/current',
    '/api/cdr',
    '/api/cdr/recent',
    '/api/cdr/queues',
    '/api/cdr/export.csv',
    '/api/customers',
    '/api/recordings',
    '/api/dial-tasks',
    '/api/callback-plans',
    '/api/softphone/config',
  ];
}

for (const kind of kinds) {
  describe(`masked numbers do not leak through caller-chosen fields [${kind}]`, () => {
    it('a queued caller whose display name, P-Asserted-Identity and Diversion carry the number', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const min = await freeUdpRange(50);
      const sys = await TestSystem.start(
        kind,
        { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 49) },
        { trunks: { optionsIntervalMs: 0 } },
      );
      defer(() => sys.stop());
      const admin = await loggedInAs(sys, 'admin');
      const masking = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: true };
      expect((await admin.put('/api/admin/settings', { numberMasking: masking })).status).toBe(200);
      const support = await sys.db
        .selectFrom('queues')
        .select('id')
        .where('name', '=', 'support')
        .executeTakeFirstOrThrow();

      // carol (agent, support member, masked) keeps her live stream open for the whole call.
      const carol = await loggedInAs(sys, 'carol');
      const stream = new AbortController();
      defer(() => stream.abort());
      const events = await fetch(`${sys.url}/api/events`, {
        headers: { cookie: carol.cookieHeader() },
        signal: stream.signal,
      });
      expect(events.status).toBe(200);
      let received = '';
      const reading = (async () => {
        const decoder = new TextDecoder();
        try {
          for await (const chunk of events.body!) received += decoder.decode(chunk as Uint8Array);
        } catch {
          // aborted at the end of the test
        }
      })();
      await expect.poll(() => received, { timeout: 5000 }).toContain('event: ready');

      // The caller (from the trunk's address) waits in support: no agent there is registered.
      const caller = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
      defer(() => caller.close());
      const invite = caller.invite(
        caller.createRequest('INVITE', `sip:5550101@127.0.0.1:${sys.sipPort}`, {
          from: `"${REAL}" <sip:${REAL}@127.0.0.1>`,
          to: '<sip:5550101@127.0.0.1>',
          headers: [
            ['P-Asserted-Identity', `"${REAL}" <sip:${REAL}@127.0.0.1>`],
            ['Diversion', `"+1 (415) 555-9876" <sip:${REAL}@127.0.0.1>;reason=unconditional`],
          ],
          body: [
            'v=0',
            'o=carrier 1 1 IN IP4 127.0.0.1',
            's=-',
            'c=IN IP4 127.0.0.1',
            't=0 0',
            `m=audio ${min + 48} RTP/AVP 0`,
            'a=rtpmap:0 PCMU/8000',
            'a=sendrecv',
            '',
          ].join('\r\n'),
          contentType: 'application/sdp',
        }),
      );
      const { response, dialog } = await invite.done;
      expect(response.status).toBe(200);
      await expect.poll(() => received, { timeout: 5000 }).toContain('"change":"joined"');

      const seen: Array<{ path: string; text: string }> = [];
      const scan = async () => {
        for (const p of agentGets(support.id)) {
          const res = await carol.get(p);
          expect(res.status, `${p}: ${res.text}`).toBeLessThan(500);
          seen.push({ path: p, text: res.text });
        }
      };
      await scan();
      const waiting = await carol.get(`/api/queues/${support.id}/waiting`);
      expect(waiting.body.calls).toEqual([
        expect.objectContaining({ callerNumber: '+14*******76', callerName: '+14*******76' }),
      ]);
      // The control: an exempt supervisor sees the real number, so the scan would find a leak.
      const sam = await loggedInAs(sys, 'sam');
      expect((await sam.get(`/api/queues/${support.id}/waiting`)).text).toContain('4155559876');

      // The caller gives up: the CDR and the events of the ending are scanned too.
      await dialog!.bye();
      await expect.poll(() => received, { timeout: 5000 }).toContain('"change":"abandoned"');
      const cdrStatus = async () =>
        (
          await sys.db
            .selectFrom('calls')
            .select('status')
            .where('customer_number', '=', REAL)
            .executeTakeFirst()
        )?.status;
      await expect.poll(cdrStatus, { timeout: 5000 }).toBe('closed');
      await scan();
      stream.abort();
      await reading;

      seen.push({ path: '/api/events', text: received });
      const leaks = seen.filter((s) => LEAKS.some((digits) => s.text.includes(digits))).map((s) => s.path);
      expect(leaks).toEqual([]);
    });
  });
}

import type { LiveEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { AgentStateService } from '../src/agents/agent-state-service';
import { EventBus } from '../src/events/event-bus';
import { createLogger } from '../src/observability/logger';
import { databases } from './call-control-harness';
import { deferrer } from './defer';
import { TestSystem, userId } from './test-system';

const Z = (iso: string) => Date.parse(iso);
const NODE = 'day-node';

/**
 * A scripted day of one agent through the real agent state service (its own node id, its own
 * clock): sign-in at registration, calls in the CDR, a pause, a supervisor's sign-out, a restart
 * with a span left open, and a closed desk. The recorded spans and the report's occupancy must be
 * what the script adds up to by hand.
 */
describe('agent sessions and occupancy', () => {
  for (const db of databases)
    it(`a scripted day: spans, how each ended, and the report's occupancy [${db}]`, {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await TestSystem.start(db);
      defer(() => sys.stop());
      const alice = await userId(sys, 'alice');
      const sam = await userId(sys, 'sam');
      const member = await sys.db
        .selectFrom('queue_members')
        .select('queue_id')
        .where('user_id', '=', alice)
        .executeTakeFirstOrThrow();
      await sys.db.updateTable('queues').set({ wrapup_s: 30 }).where('id', '=', member.queue_id).execute();
      await sys.db.deleteFrom('call_legs').execute();
      await sys.db.deleteFrom('recordings').execute();
      await sys.db.deleteFrom('calls').execute();
      await sys.db.deleteFrom('agent_pauses').execute();
      await sys.db.deleteFrom('agent_sessions').execute();

      let clock = Z('2026-03-10T07:00:00Z');
      const at = (hhmm: string) => {
        clock = Z(`2026-03-10T${hhmm}:00Z`);
      };
      const service = (events = new EventBus()) =>
        new AgentStateService({
          db: sys.db,
          events,
          logger: createLogger('silent'),
          location: { isRegistered: () => true },
          signInState: async () => ({ status: 'idle', reason: null }),
          deskClosedGraceMs: 1,
          nodeId: NODE,
          now: () => clock,
        });
      let n = 0;
      const answeredCall = async (start: string, talkS: number) => {
        n++;
        const started = Z(`2026-03-10T${start}Z`);
        await sys.db
          .insertInto('calls')
          .values({
            call_uuid: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
            type: 'inbound',
            queue_id: member.queue_id,
            agent_user_id: alice,
            customer_id: null,
            customer_number: '+12025550100',
            customer_digits: '12025550100',
            caller_number: '+12025550100',
            called_number: '5550100',
            started_at: started,
            answered_at: started + 5000,
            ended_at: started + 5000 + talkS * 1000,
            duration_s: talkS,
            ring_time_s: 3,
            disposition: 'answered',
            hangup_cause: 'normal_clearing',
            hangup_side: 'customer',
            transfer_chain: null,
            recording_id: null,
            quality: null,
            status: 'closed',
            node_id: null,
            source_ref: null,
          })
          .execute();
      };

      const first = service();
      await first.start();
      // 08:00 her softphone registers: signed in, Idle (the administrator's sign-in state).
      at('08:00');
      first.onRegistrationChange(first.board.extensionOf(alice)!, true);
      await answeredCall('08:10:00', 300);
      await answeredCall('09:00:00', 600);
      // 10:00–10:30 lunch.
      at('10:00');
      await first.update(alice, { status: 'paused', reason: 'Lunch' }, { kind: 'user', id: alice });
      at('10:30');
      await first.update(alice, { status: 'idle' }, { kind: 'user', id: alice });
      // 11:00 a supervisor signs her out; 12:00 she goes Idle from her desk again.
      at('11:00');
      await first.signOut(alice, { kind: 'user', id: sam });
      at('12:00');
      await first.update(alice, { status: 'idle' }, { kind: 'user', id: alice });
      await answeredCall('12:15:00', 630);
      await first.flush();
      // The node's last heartbeat is 13:00; it is down until 14:00 with her span open.
      await sys.db
        .insertInto('node_heartbeats')
        .values({ node_id: NODE, alive_at: Z('2026-03-10T13:00:00Z') })
        .onConflict((oc) => oc.column('node_id').doUpdateSet({ alive_at: Z('2026-03-10T13:00:00Z') }))
        .execute();
      first.board.dispose();

      at('14:00');
      const events = new EventBus();
      const second = service(events);
      defer(() => second.stop());
      await second.start();
      // She comes back signed in (her state survives the restart); at 15:00 her last desk closes.
      expect(second.board.get(alice)?.loggedIn).toBe(true);
      at('15:00');
      const offline = new Promise<void>((resolve) => {
        const stop = events.subscribe({ userId: -1, role: 'admin' }, (e: { event: LiveEvent }) => {
          if (e.event.type === 'agent_state' && e.event.userId === alice && e.event.status === 'logged_out') {
            stop();
            resolve();
          }
        });
      });
      second.deskOpened(alice)();
      await offline;
      await second.flush();

      const spans = await sys.db
        .selectFrom('agent_sessions')
        .select(['id', 'signed_in_at', 'signed_out_at', 'end_reason'])
        .where('user_id', '=', alice)
        .where('node_id', '=', NODE)
        .orderBy('signed_in_at')
        .execute();
      expect(
        spans.map((s) => ({
          from: new Date(Number(s.signed_in_at)).toISOString().slice(11, 16),
          to: new Date(Number(s.signed_out_at)).toISOString().slice(11, 16),
          how: s.end_reason,
        })),
      ).toEqual([
        { from: '08:00', to: '11:00', how: 'forced' },
        // Ended at the last heartbeat, not at the restart: the hour the node was down is not counted.
        { from: '12:00', to: '13:00', how: 'node_restart' },
        { from: '14:00', to: '15:00', how: 'desk_closed' },
      ]);
      const pauses = await sys.db
        .selectFrom('agent_pauses')
        .select(['session_id', 'reason', 'started_at', 'ended_at'])
        .where('user_id', '=', alice)
        .execute();
      expect(
        pauses.map((p) => ({ ...p, started_at: Number(p.started_at), ended_at: Number(p.ended_at) })),
      ).toEqual([
        {
          session_id: spans[0]!.id,
          reason: 'Lunch',
          started_at: Z('2026-03-10T10:00:00Z'),
          ended_at: Z('2026-03-10T10:30:00Z'),
        },
      ]);

      // By hand: signed in 3 h + 1 h + 1 h = 18000 s; paused 1800 s; available 16200 s.
      // Handle: talk 300 + 600 + 630 = 1530 s, plus 3 × 30 s wrap-up = 1620 s. 1620 / 16200 = 10 %.
      const supervisor = sys.client();
      await supervisor.login('sam');
      const day = `from=${Z('2026-03-10T00:00:00Z')}&to=${Z('2026-03-11T00:00:00Z')}&tz=UTC&agentId=${alice}`;
      const res = await supervisor.get(`/api/reports/agents?${day}`);
      expect(res.status).toBe(200);
      expect(res.body.agents).toEqual([
        {
          agentUserId: alice,
          name: expect.any(String),
          answered: 3,
          talkSeconds: 1530,
          wrapupSeconds: 90,
          averageHandleSeconds: 540,
          signedInSeconds: 18_000,
          pausedSeconds: 1800,
          workedSeconds: 16_200,
          occupancyPercent: 10,
        },
      ]);
      const csv = await supervisor.get(`/api/reports/agents?${day}&format=csv`);
      expect(csv.text).toContain(',3,1530,90,540,18000,1800,16200,10');
      // The morning only (08:00–10:15): the first span is cut to 2 h 15 min, the lunch to its first half.
      const morning = `from=${Z('2026-03-10T08:00:00Z')}&to=${Z('2026-03-10T10:15:00Z')}&tz=UTC&agentId=${alice}`;
      const partial = (await supervisor.get(`/api/reports/agents?${morning}`)).body.agents[0];
      // 8100 s signed in, 900 s of it paused: 7200 s available; the two morning calls 960 s: 13.3 %.
      expect(partial).toMatchObject({
        signedInSeconds: 8100,
        pausedSeconds: 900,
        workedSeconds: 7200,
        occupancyPercent: 13.3,
      });
    });
});

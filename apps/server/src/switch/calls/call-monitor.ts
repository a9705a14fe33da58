import type { PlaneLeg } from '@switchboard/media';
import type { MonitorMode, MonitorSession } from '@switchboard/shared';
import type { IncomingRequest, SessionDialog } from '@switchboard/sip';
import type { EventBus } from '../../events/event-bus';
import type { Logger } from '../../observability/logger';
import type { B2buaCall, Party } from './b2bua-call';
import { CallControlError } from './call-control-error';
import type { CallEngine } from './call-engine';
import { contactTarget, fromAddress } from './dial-targets';
import { InviteFork } from './invite-fork';

/** The supervisor who monitors: their user, name and extension (whose phones ring). */
export interface Monitorer {
  userId: number;
  name: string;
  extension: string;
}

interface Session {
  call: B2buaCall;
  supervisor: Monitorer;
  mode: MonitorMode;
  /** Every mode the session was in, in order (the CDR leg's outcome lists them). */
  modes: MonitorMode[];
  state: 'ringing' | 'active';
  startedAt: number;
  fork: InviteFork | null;
  dialog: SessionDialog | null;
  leg: PlaneLeg | null;
  legRowId: Promise<number | null> | null;
  /** Whether the agent was told (the indicator setting at the start). */
  agentIndicator: boolean;
  ended: boolean;
}

/** Header on the INVITE to the supervisor: which call it monitors (the desk shows it as monitoring). */
export const MONITOR_HEADER = 'X-Switchboard-Monitor';

/**
 * Supervisor monitoring of a live two-party call (docs/supervisor.md): the supervisor's own extension
 * is rung; on answer their leg joins the call's media in a mix where it hears the customer and the
 * agent, and is heard by nobody (listen), the agent only (whisper) or both (barge). The mode changes
 * without a new call. The supervisor is not a party of the call: their hang-up never ends it, and
 * the call ending hangs them up. Permissions are the caller's (the monitoring service).
 */
export class CallMonitor {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly engine: CallEngine,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {
    engine.onCallEnded((call) => {
      for (const s of [...this.sessions.values()]) if (s.call === call) this.end(s, 'call_ended', true);
    });
  }

  /** The live call with its agent (the party with a user) and customer, or 404/409. */
  target(callId: string): { call: B2buaCall; agent: Party; customer: Party } {
    const call = this.engine.calls.get(callId);
    if (!call || call.finished) throw new CallControlError(404, 'not_found', 'No such call in progress');
    const agent = [call.caller, call.callee].find((p) => p.role === 'agent' && p.userId !== null);
    if (!agent) throw new CallControlError(409, 'no_agent', 'The call has no agent to monitor');
    const customer = call.other(agent);
    if (call.state !== 'connected' || !agent.leg || !customer.leg)
      throw new CallControlError(409, 'not_connected', 'The call is not connected');
    if (!call.media?.canMonitor)
      throw new CallControlError(409, 'not_two_party', 'The call is on hold, in a consult or a conference');
    return { call, agent, customer };
  }

  /** Connected two-party calls with an agent, and the queue(s) that make them someone's to monitor. */
  live(): Array<{
    callId: string;
    queueId: number | null;
    agent: Party;
    queue: string | null;
    answeredAt: number | null;
  }> {
    const out = [];
    for (const call of this.engine.calls.values()) {
      if (call.finished || call.state !== 'connected') continue;
      const agent = [call.caller, call.callee].find((p) => p.role === 'agent' && p.userId !== null);
      if (!agent) continue;
      out.push({
        callId: call.uuid,
        queueId: call.init.queueId ?? null,
        agent,
        queue: call.queueName,
        answeredAt: call.answeredAt,
      });
    }
    return out;
  }

  session(callId: string, userId: number): MonitorSession | null {
    const s = this.sessions.get(key(callId, userId));
    return s ? { callId, mode: s.mode, state: s.state, startedAt: s.startedAt } : null;
  }

  /** Rings the supervisor's phones; resolves once the INVITEs are out (the answer comes later). */
  start(callId: string, supervisor: Monitorer, mode: MonitorMode, agentIndicator: boolean): MonitorSession {
    const { call, agent } = this.target(callId);
    if (agent.userId === supervisor.userId)
      throw new CallControlError(409, 'own_call', 'You cannot monitor your own call');
    const k = key(callId, supervisor.userId);
    if (this.sessions.has(k))
      throw new CallControlError(409, 'already_monitoring', 'You are already monitoring this call');
    const contacts = this.engine.router.contacts(supervisor.extension);
    if (contacts.length === 0)
      throw new CallControlError(409, 'supervisor_offline', 'Your phone is not registered');
    const ctx = this.engine.context;
    const agentName = agent.extension?.displayName ?? agent.number ?? 'agent';
    const fork = new InviteFork(ctx.stack, ctx.media, {
      targets: contacts.map(contactTarget),
      from: fromAddress(ctx.stack, agent.number ?? 'monitor', `Monitor ${agentName}`),
      to: `<sip:${supervisor.extension}@${ctx.stack.host}>`,
      headers: [[MONITOR_HEADER, call.uuid]],
      timeoutMs: ctx.ringTimeoutMs,
    });
    const s: Session = {
      call,
      supervisor,
      mode,
      modes: [mode],
      state: 'ringing',
      startedAt: Date.now(),
      fork,
      dialog: null,
      leg: null,
      legRowId: null,
      agentIndicator,
      ended: false,
    };
    this.sessions.set(k, s);
    this.publish(s, 'ringing', null);
    void this.ring(s).catch((err) => {
      this.logger.error({ err, call: call.uuid }, 'monitoring failed');
      this.end(s, 'internal_error', false);
    });
    return { callId, mode, state: 'ringing', startedAt: s.startedAt };
  }

  private async ring(s: Session): Promise<void> {
    const out = await s.fork!.start();
    s.fork = null;
    if (out.kind === 'failed') {
      this.end(
        s,
        out.cause === 'cancelled' ? 'cancelled' : out.cause === 'no_answer' ? 'no_answer' : 'failed',
        false,
      );
      return;
    }
    if (s.ended || s.call.finished) {
      void out.dialog.bye().catch(() => {});
      out.leg.close();
      return;
    }
    s.dialog = out.dialog;
    s.leg = out.leg;
    s.state = 'active';
    // Listening is work: the ACD offers the supervisor nothing while they are on the call.
    this.engine.announce({
      change: 'joined',
      callId: s.call.uuid,
      userId: s.supervisor.userId,
      queueId: null,
    });
    out.dialog.onRequest = (inc) => this.onRequest(s, inc);
    out.dialog.onTerminated = (reason) => {
      if (reason !== 'bye received') this.end(s, 'dialog_ended', false);
    };
    const now = Date.now();
    s.legRowId = this.engine.context.records
      .openLeg(s.call.cdrId, {
        legUuid: s.call.legUuid('m'),
        role: 'supervisor',
        peer: `${s.supervisor.extension} ${s.supervisor.name} (monitor)`,
        startedAt: s.startedAt,
        answeredAt: now,
      })
      .catch((err) => {
        this.logger.warn({ err, call: s.call.uuid }, 'monitoring leg row not written');
        return null;
      });
    this.track(s.legRowId);
    if (!this.apply(s)) {
      this.end(s, 'call_not_bridged', true);
      return;
    }
    this.publish(s, 'active', null);
  }

  /** Changes what the supervisor's voice reaches, on the same call leg. */
  setMode(callId: string, userId: number, mode: MonitorMode): MonitorSession {
    const s = this.sessions.get(key(callId, userId));
    if (!s) throw new CallControlError(404, 'not_monitoring', 'You are not monitoring this call');
    if (s.mode !== mode) {
      s.mode = mode;
      s.modes.push(mode);
      if (s.state === 'active' && !this.apply(s))
        throw new CallControlError(409, 'not_connected', 'The call is not connected');
      if (s.state === 'active') this.publish(s, 'active', null);
    }
    return { callId, mode: s.mode, state: s.state, startedAt: s.startedAt };
  }

  /** The supervisor leaves (or stops the ringing). */
  stop(callId: string, userId: number): void {
    const s = this.sessions.get(key(callId, userId));
    if (!s) throw new CallControlError(404, 'not_monitoring', 'You are not monitoring this call');
    this.end(s, 'supervisor_left', true);
  }

  private apply(s: Session): boolean {
    const call = s.call;
    const agent = [call.caller, call.callee].find((p) => p.role === 'agent' && p.userId !== null);
    const customer = agent ? call.other(agent) : null;
    if (!call.media || !s.leg || !agent?.leg || !customer?.leg) return false;
    const heardBy = s.mode === 'listen' ? [] : s.mode === 'whisper' ? [agent.leg] : null;
    return call.media.monitor(s.leg, customer.leg, agent.leg, heardBy);
  }

  private onRequest(s: Session, inc: IncomingRequest): void {
    if (inc.method === 'BYE') {
      inc.reply(200);
      this.end(s, 'supervisor_hangup', false);
      return;
    }
    if ((inc.method === 'INVITE' || inc.method === 'UPDATE') && s.leg && inc.request.bodyText) {
      // A re-offer (a browser renegotiating) is answered from the same leg; the mix is unchanged.
      void s.leg.acceptOffer(inc.request.bodyText).then(
        (answer) => inc.reply(200, { body: answer, contentType: 'application/sdp' }),
        () => inc.reply(488),
      );
      return;
    }
    if (inc.method !== 'ACK') inc.reply(200);
  }

  private end(s: Session, reason: string, sendBye: boolean): void {
    if (s.ended) return;
    s.ended = true;
    this.sessions.delete(key(s.call.uuid, s.supervisor.userId));
    s.fork?.cancel();
    if (s.leg) {
      s.call.media?.unmonitor(s.leg);
      s.leg.close();
      this.engine.announce({
        change: 'left',
        callId: s.call.uuid,
        userId: s.supervisor.userId,
        queueId: null,
        reason: 'left',
      });
    }
    const d = s.dialog;
    if (d) {
      d.onTerminated = undefined;
      d.onRequest = undefined;
      if (sendBye && d.state !== 'terminated') void d.bye().catch(() => {});
    }
    const legRow = s.legRowId;
    if (legRow)
      this.track(
        legRow.then((id) =>
          id === null
            ? undefined
            : this.engine.context.records.updateLeg(id, {
                ended_at: Date.now(),
                disposition: 'answered',
                hangup_cause: `monitor_${[...new Set(s.modes)].join('_')}`,
              }),
        ),
      );
    this.publish(s, 'ended', reason);
  }

  private readonly writes = new Set<Promise<unknown>>();

  private track(write: Promise<unknown>): void {
    const settled = write.catch((err) => this.logger.warn({ err }, 'monitoring leg row not closed'));
    this.writes.add(settled);
    void settled.finally(() => this.writes.delete(settled));
  }

  /** Resolves when the monitoring legs' CDR writes so far are done (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private publish(s: Session, state: 'ringing' | 'active' | 'ended', reason: string | null): void {
    const event = {
      type: 'monitor' as const,
      callId: s.call.uuid,
      state,
      mode: s.mode,
      supervisor: s.supervisor.name,
      reason,
      audience: 'supervisor' as const,
      at: Date.now(),
    };
    this.events.publish(event, { userIds: [s.supervisor.userId], minRole: 'supervisor' });
    // The agent is told only when the supervisor's voice can reach them, never for a silent listen.
    const agentId = [s.call.caller, s.call.callee].find(
      (p) => p.role === 'agent' && p.userId !== null,
    )?.userId;
    if (s.agentIndicator && agentId != null && agentId !== s.supervisor.userId) {
      const heard = state === 'active' && s.mode !== 'listen';
      if (heard || this.toldAgent.has(s)) {
        this.events.publish(
          { ...event, audience: 'agent' as const, state: heard ? event.state : 'ended' },
          { userIds: [agentId] },
        );
        if (heard) this.toldAgent.add(s);
        else this.toldAgent.delete(s);
      }
    }
  }

  private readonly toldAgent = new WeakSet<Session>();
}

function key(callId: string, userId: number): string {
  return `${callId}:${userId}`;
}

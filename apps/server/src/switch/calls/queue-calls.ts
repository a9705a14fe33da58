import type { MediaEngine } from '@switchboard/media';
import type { IncomingRequest } from '@switchboard/sip';
import type { AppDeps } from '../../http/deps';
import type {
  AgentOffer,
  AgentOfferPort,
  OfferResult,
  OverflowTarget,
  QueueCall,
  QueueCallPort,
} from '../../queues/types';
import type { RegisteredContact } from '../contracts';
import { type B2buaCall, Party } from './b2bua-call';
import type { CallEngine } from './call-engine';
import { Dialer, type DialOutcome, type DialTarget } from './dialer';

type QueueDeps = Pick<AppDeps, 'sip' | 'queues' | 'agents' | 'logger' | 'events'>;

interface OfferLeg {
  dialer: Dialer | null;
  cancelled: boolean;
}

function contactTarget(c: RegisteredContact): DialTarget {
  return { uri: c.uri, transport: c.transport, flow: c.flow, label: `${c.extension} ${c.uri}` };
}

function offerResult(o: Extract<DialOutcome, { kind: 'failed' }>): OfferResult {
  if (o.cause !== 'response') return 'no_answer';
  if (o.status === 486 || o.status === 600 || o.status === 603) return 'declined';
  if (o.status === 408 || o.status === 480 || o.status === 487) return 'no_answer';
  return 'failed';
}

/**
 * The switch side of the ACD (issue 6): inbound calls routed to a queue are answered and hear the
 * queue's hold music while they wait; the dispatcher's offers ring the agent's extension (caller ID
 * masked, `X-Switchboard-Queue` naming the queue); the agent who answers and wins the claim is
 * bridged to the caller. Agents go on call on the claim and into wrap-up when the call ends.
 */
export class QueueCalls implements AgentOfferPort, QueueCallPort {
  private readonly offers = new Map<string, OfferLeg>();
  /** What the queue decided for a call turned away on arrival (max length), read back by `handle`. */
  private readonly onArrival = new Map<string, OverflowTarget>();
  /** Agent user id of each connected queue call (wrap-up at the end). */
  private readonly agentOf = new Map<string, number>();
  /** Agents in a connected call that did not come through a queue. */
  private readonly directAgents = new Map<string, number[]>();

  constructor(
    private readonly deps: QueueDeps,
    private readonly engine: CallEngine,
    private readonly media: MediaEngine,
  ) {}

  /** Plugs into the ACD and the call engine. */
  install(): void {
    this.deps.queues.setOfferPort(this);
    this.deps.queues.setCallPort(this);
    this.engine.queueHandler = (call, incoming, queueId) => this.handle(call, incoming, queueId);
    this.engine.onCallEnded((call) => this.ended(call));
    this.engine.onCallAnswered((call) => this.directAnswered(call));
  }

  /**
   * Agents in a call that did not come through a queue (direct DID, extension to extension,
   * click-to-dial) are on call too, so the ACD offers them nothing meanwhile.
   */
  private directAnswered(call: B2buaCall): void {
    if (call.init.queueId != null) return;
    const users = call.agents.map((p) => p.userId!);
    if (users.length === 0) return;
    this.directAgents.set(call.uuid, users);
    for (const u of users) this.deps.agents.markOnCall(u, { callId: call.uuid, queueId: null });
  }

  /** An inbound call routed to a queue. */
  async handle(call: B2buaCall, incoming: IncomingRequest, queueId: number): Promise<void> {
    call.queueName = this.deps.queues.dispatcher(queueId)?.queueConfig.name ?? null;
    const answer = await call.prepareCaller(incoming);
    if (answer === null) return;
    const outcome = this.deps.queues.enqueue(queueId, {
      callId: call.uuid,
      callerNumber: call.init.callerNumber,
      callerName: incoming.request.from?.displayName ?? null,
    });
    if (outcome === 'no_such_queue') {
      incoming.reply(480, { reason: 'Queue Not Available' });
      await call.finish({ disposition: 'failed', cause: 'queue_not_available', side: 'system' });
      return;
    }
    let target: OverflowTarget | undefined;
    if (outcome === 'full') {
      target = this.onArrival.get(call.uuid) ?? { type: 'hangup' };
      this.onArrival.delete(call.uuid);
      if (target.type === 'hangup') {
        incoming.reply(486, { reason: 'Busy Here' });
        await call.finish({ disposition: 'busy', cause: 'queue_full', side: 'system' });
        return;
      }
    }
    // The INVITE is answered synchronously after enqueue: no agent can answer before the caller is.
    if (!call.answerWaiting(incoming, answer)) {
      this.deps.queues.hangup(call.uuid);
      if (!incoming.answered) incoming.reply(487, { reason: 'Request Terminated' });
      await call.finish({ disposition: 'unanswered', cause: 'caller_cancel', side: 'customer' });
      return;
    }
    if (target?.type === 'extension') await this.ringExtension(call, target.extension, queueId);
  }

  // ---- AgentOfferPort --------------------------------------------------------------------------

  async offer(offer: AgentOffer): Promise<OfferResult> {
    const key = `${offer.call.callId}:${offer.userId}`;
    const leg: OfferLeg = { dialer: null, cancelled: false };
    this.offers.set(key, leg);
    try {
      const call = this.engine.calls.get(offer.call.callId);
      if (call?.state !== 'setup') return 'failed';
      const info = await this.engine.router.extension(offer.extension);
      const contacts = this.engine.router.contacts(offer.extension);
      if (!info || contacts.length === 0) return 'failed';
      const from = await this.engine.presentTo(info, offer.call.callerNumber, 'anonymous');
      if (leg.cancelled) return 'no_answer';
      const queueName = this.deps.queues.dispatcher(offer.queueId)?.queueConfig.name ?? String(offer.queueId);
      const dialer = new Dialer(this.deps.sip, this.media, {
        targets: contacts.map(contactTarget),
        from,
        to: `<sip:${info.number}@${this.deps.sip.host}>`,
        headers: [['X-Switchboard-Queue', queueName.replace(/[\r\n]/g, ' ')]],
        timeoutMs: offer.ringTimeoutMs,
      });
      leg.dialer = dialer;
      const started = dialer.start();
      this.ringing(offer, queueName, 'ringing');
      const out = await started;
      if (out.kind === 'failed') {
        // The agent's desk stops showing the offer.
        this.ringing(offer, queueName, 'ended');
        return offerResult(out);
      }
      if (leg.cancelled || !offer.claim()) {
        void out.dialog.bye().catch(() => {});
        out.leg.close();
        return 'answered';
      }
      const agent = new Party('agent', info.number, info);
      this.agentOf.set(call.uuid, offer.userId);
      if (!(await call.connectAgent(agent, out))) {
        // The caller left as the agent answered: nothing to wrap up.
        this.agentOf.delete(call.uuid);
        this.deps.agents.markFree(offer.userId);
      }
      return 'answered';
    } finally {
      this.offers.delete(key);
    }
  }

  /** The offer on the agent's live stream (the desk shows the queue call ringing, then gone). */
  private ringing(offer: AgentOffer, queue: string, state: 'ringing' | 'ended'): void {
    this.deps.events.publish(
      {
        type: 'call',
        callId: offer.call.callId,
        state,
        direction: 'inbound',
        otherParty: offer.call.callerNumber,
        queue,
        ...(state === 'ended' ? { disposition: 'unanswered' as const } : {}),
        at: Date.now(),
      },
      { userIds: [offer.userId], minRole: 'supervisor' },
    );
  }

  cancel(offer: AgentOffer): void {
    const leg = this.offers.get(`${offer.call.callId}:${offer.userId}`);
    if (!leg) return;
    leg.cancelled = true;
    leg.dialer?.cancel();
  }

  // ---- QueueCallPort ---------------------------------------------------------------------------

  overflow(call: QueueCall, fromQueueId: number, target: OverflowTarget, reason: 'max_wait' | 'full'): void {
    const b2b = this.engine.calls.get(call.callId);
    if (!b2b) return;
    if (reason === 'full' && b2b.caller.dialog === null) {
      // Still inside enqueue(): `handle` answers it.
      this.onArrival.set(call.callId, target);
      return;
    }
    if (target.type === 'queue') return; // waiting in the other queue now; the music goes on
    if (target.type === 'extension') {
      void this.ringExtension(b2b, target.extension, fromQueueId);
      return;
    }
    void b2b.hangup('system', 'queue_max_wait');
  }

  /** Overflow to an extension: ring it with the caller still hearing hold music. */
  private async ringExtension(call: B2buaCall, extension: string, queueId: number): Promise<void> {
    try {
      const info = await this.engine.router.extension(extension);
      const contacts = this.engine.router.contacts(extension);
      if (!info || contacts.length === 0) {
        await call.hangup('system', 'overflow_not_registered');
        return;
      }
      const from = await this.engine.presentTo(info, call.init.callerNumber, 'anonymous');
      const queueName = this.deps.queues.dispatcher(queueId)?.queueConfig.name ?? String(queueId);
      const dialer = new Dialer(this.deps.sip, this.media, {
        targets: contacts.map(contactTarget),
        from,
        to: `<sip:${info.number}@${this.deps.sip.host}>`,
        headers: [['X-Switchboard-Queue', queueName.replace(/[\r\n]/g, ' ')]],
        timeoutMs: 30_000,
      });
      call.dialer = dialer;
      const out = await dialer.start();
      if (call.dialer === dialer) call.dialer = null;
      if (out.kind === 'failed') {
        await call.hangup('system', 'overflow_no_answer');
        return;
      }
      const agent = new Party('agent', info.number, info);
      if (info.userId !== null) {
        this.agentOf.set(call.uuid, info.userId);
        this.deps.agents.markOnCall(info.userId, { callId: call.uuid, queueId });
      }
      if (!(await call.connectAgent(agent, out)) && info.userId !== null) {
        this.agentOf.delete(call.uuid);
        this.deps.agents.markFree(info.userId);
      }
    } catch (err) {
      this.deps.logger.error({ err, call: call.uuid }, 'queue overflow to extension failed');
      await call.hangup('system', 'internal_error');
    }
  }

  private ended(call: B2buaCall): void {
    const direct = this.directAgents.get(call.uuid);
    if (direct) {
      this.directAgents.delete(call.uuid);
      for (const u of direct)
        if (this.deps.agents.board.get(u)?.onCall?.callId === call.uuid) this.deps.agents.markFree(u);
    }
    if (call.init.queueId == null) return;
    this.deps.queues.hangup(call.uuid);
    this.onArrival.delete(call.uuid);
    const userId = this.agentOf.get(call.uuid);
    if (userId === undefined) return;
    this.agentOf.delete(call.uuid);
    this.deps.agents.markWrapUp(userId);
  }
}

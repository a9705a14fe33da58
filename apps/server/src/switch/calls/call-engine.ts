import type { MediaPlane } from '@switchboard/media';
import { digitsOnly } from '@switchboard/shared';
import type { IncomingRequest, SipStack } from '@switchboard/sip';
import type { Db } from '../../db/database';
import type { Disposition } from '../../db/schema';
import type { EventBus } from '../../events/event-bus';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';
import type { SettingsStore } from '../../settings/settings-store';
import { type CallRecords, customerOfNumber } from '../call-records';
import type { LocationService, OutboundTrunks, PartyChange, TrunkRoute } from '../contracts';
import type { CallScripts } from '../scripts/call-scripts';
import { B2buaCall, type CallContext, Party } from './b2bua-call';
import { type CallDestination, CallRouter, type CallSource, type ExtensionInfo } from './call-router';
import { callIdHeader, carrierCallerId, contactTarget, fromAddress, trunkTarget } from './dial-targets';

export interface CallEngineOptions {
  stack: SipStack;
  media: MediaPlane;
  records: CallRecords;
  db: Db;
  events: EventBus;
  logger: Logger;
  metrics: Metrics;
  settings: SettingsStore;
  location: LocationService;
  trunks: OutboundTrunks;
  recordingsDir: string;
  defaultCountry: string;
  /** No answer within this → CANCEL, disposition unanswered (default 30 s). */
  ringTimeoutMs?: number;
}

/** Installed by call control: true when it handled the party leaving (the call goes on). */
export interface PartyHangup {
  hangupParty(call: B2buaCall, party: Party): boolean;
}

export class CallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The switch's call side: takes every new INVITE from the dispatcher, routes it, and runs it as a
 * B2buaCall; also places click-to-dial calls and hangs calls up for the API. Owns the active-call
 * table (per node, in memory: the CDR rows are what survives a restart).
 */
export class CallEngine {
  readonly router: CallRouter;
  readonly calls = new Map<string, B2buaCall>();
  private readonly ctx: CallContext;
  private readonly endedListeners = new Set<(call: B2buaCall) => void>();
  private readonly answeredListeners = new Set<(call: B2buaCall) => void>();
  private readonly partyListeners = new Set<(change: PartyChange) => void>();
  /** Inbound calls routed to a queue (the ACD glue, queue-calls.ts); unset → 480. */
  queueHandler: ((call: B2buaCall, incoming: IncomingRequest, queueId: number) => Promise<void>) | null =
    null;
  /** Call control's say in a hang-up (in a consult or a conference only that party leaves). */
  control: PartyHangup | null = null;
  /** Calls the server places or steers (call scripts); inbound routes to a service go there. */
  scripts: CallScripts | null = null;
  /**
   * SIP MESSAGE (RFC 3428) from a carrier trunk: SMS callback. Unset, or from anything but a trunk,
   * a MESSAGE gets 405 / 403.
   */
  messageHandler: ((incoming: IncomingRequest, trunk: TrunkRoute) => void) | null = null;

  constructor(private readonly o: CallEngineOptions) {
    this.router = new CallRouter(o.db, o.location, o.trunks, o.defaultCountry);
    this.ctx = {
      stack: o.stack,
      media: o.media,
      records: o.records,
      db: o.db,
      events: o.events,
      logger: o.logger,
      recordingsDir: o.recordingsDir,
      ringTimeoutMs: o.ringTimeoutMs ?? 30_000,
      onInviteForwarded: (seconds) => o.metrics.inviteForward.observe(seconds),
      onAnswered: (call) => {
        for (const l of this.answeredListeners) l(call);
      },
      onEnded: (call, disposition) => this.ended(call, disposition),
      onPartyChange: (change) => this.announce(change),
    };
  }

  /** The context every call shares (call control builds parties and dialers with it). */
  get context(): CallContext {
    return this.ctx;
  }

  get options(): CallEngineOptions {
    return this.o;
  }

  track(call: B2buaCall): void {
    this.calls.set(call.uuid, call);
    this.o.metrics.callsStarted.inc({ direction: call.direction });
  }

  /** A call that was tracked but never started (a queue refused a script's caller). */
  untrack(call: B2buaCall): void {
    this.calls.delete(call.uuid);
  }

  private ended(call: B2buaCall, disposition: Disposition): void {
    this.calls.delete(call.uuid);
    this.o.metrics.callsEnded.inc({ disposition });
    for (const l of this.endedListeners) l(call);
  }

  /** A call was answered (connected); for queue calls, once the agent is bridged. */
  onCallAnswered(listener: (call: B2buaCall) => void): () => void {
    this.answeredListeners.add(listener);
    return () => this.answeredListeners.delete(listener);
  }

  /** Tells the listeners a user's phone joined or left a call (a switched call or a script's). */
  announce(change: PartyChange): void {
    for (const l of this.partyListeners) l(change);
  }

  /** A user's phone joined or left a call (every call: switched, queued, transferred, consulted). */
  onPartyChange(listener: (change: PartyChange) => void): () => void {
    this.partyListeners.add(listener);
    return () => this.partyListeners.delete(listener);
  }

  onCallEnded(listener: (call: B2buaCall) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  get activeCount(): number {
    return this.calls.size;
  }

  /** The dispatcher's handler for new out-of-dialog requests. */
  handle = (incoming: IncomingRequest): void => {
    if (incoming.method === 'INVITE') {
      this.onInvite(incoming).catch((err) => {
        this.o.logger.error({ err }, 'INVITE handling failed');
        if (!incoming.answered) incoming.reply(500);
      });
      return;
    }
    if (incoming.method === 'OPTIONS') {
      incoming.reply(200);
      return;
    }
    if (incoming.method === 'MESSAGE' && this.messageHandler) {
      const handler = this.messageHandler;
      const trunk = this.o.trunks.trunkForAddress(incoming.flow.remoteAddress, incoming.flow.remotePort);
      if (!trunk) incoming.reply(403, { reason: 'Forbidden' });
      else handler(incoming, trunk);
      return;
    }
    incoming.reply(incoming.method === 'ACK' ? 200 : 405);
  };

  /** A display and user for the other party as an agent's phone shows it (masking applies, SPEC). */
  /**
   * Caller ID toward an extension: the number as its user may see it, and as the display name the
   * CRM name of that number's customer when the user may see that customer.
   */
  async presentTo(ext: ExtensionInfo, number: string | null, fallback: string) {
    const mask = await this.o.settings.numberMaskerFor(ext.role ?? 'agent');
    const shown = number ? (mask(number) ?? number) : fallback;
    const customer =
      number && ext.userId !== null
        ? await customerOfNumber(this.o.db, digitsOnly(number), { id: ext.userId, role: ext.role }).catch(
            () => null,
          )
        : null;
    return fromAddress(this.o.stack, shown, customer?.name ?? shown);
  }

  private async onInvite(incoming: IncomingRequest): Promise<void> {
    const req = incoming.request;
    const fromUser = req.from?.uri.type === 'sip' ? req.from.uri.user : undefined;
    const source = await this.router.classify(fromUser, incoming.flow);
    if (!source) {
      incoming.reply(403, { reason: 'Forbidden' });
      return;
    }
    const dialled = (req.uri.type === 'sip' ? req.uri.user : undefined) ?? '';
    const dest = await this.router.destination(source, dialled);
    const callerNumber =
      source.kind === 'trunk'
        ? fromUser
          ? (this.router.e164(fromUser) ?? fromUser)
          : null
        : source.extension.number;
    const calledNumber = dest.kind === 'outside' ? dest.number : dialled;
    if (dest.kind === 'service') {
      if (this.scripts?.handlesInbound(dest.targetType)) {
        await this.scripts.takeInbound(
          incoming,
          { type: dest.targetType, id: dest.targetId },
          callerNumber,
          calledNumber,
        );
        return;
      }
    }

    const caller =
      source.kind === 'trunk'
        ? new Party('customer', callerNumber)
        : new Party('agent', source.extension.number, source.extension);
    const callee =
      dest.kind === 'extension'
        ? new Party('agent', dest.extension.number, dest.extension)
        : dest.kind === 'queue'
          ? new Party('agent', null) // the agent who answers replaces it
          : new Party('customer', dest.kind === 'outside' ? dest.number : dialled);
    const direction =
      source.kind === 'trunk' ? 'inbound' : dest.kind === 'extension' ? 'internal' : 'outbound';
    const call = await B2buaCall.create(this.ctx, {
      type: source.kind === 'trunk' ? 'inbound' : 'manual',
      direction,
      caller,
      callee,
      customerNumber: source.kind === 'trunk' ? callerNumber : dest.kind === 'outside' ? dest.number : null,
      callerNumber,
      calledNumber,
      queueId: dest.kind === 'refuse' ? (dest.queueId ?? null) : dest.kind === 'queue' ? dest.queueId : null,
    });
    this.track(call);
    await this.connectCall(call, incoming, source, dest, callerNumber);
  }

  /**
   * Sends a new call where its destination says: into the queue, to an extension's contacts or out
   * over the carrier trunk; a refused destination (or a service with no one to run it) is answered here.
   */
  private async connectCall(
    call: B2buaCall,
    incoming: IncomingRequest,
    source: CallSource,
    dest: CallDestination,
    callerNumber: string | null,
  ): Promise<void> {
    const refusal =
      dest.kind === 'service'
        ? {
            kind: 'refuse' as const,
            status: 480,
            reason: 'Service Not Available',
            cause: `${dest.targetType}_not_available`,
          }
        : null;
    if (dest.kind === 'queue') {
      if (this.queueHandler) {
        await this.queueHandler(call, incoming, dest.queueId);
        return;
      }
      incoming.reply(480, { reason: 'Queue Routing Not Available' });
      await call.finish({ disposition: 'failed', cause: 'queue_not_available', side: 'system' });
      return;
    }

    if (dest.kind === 'refuse' || dest.kind === 'service') {
      const refuse = refusal ?? (dest.kind === 'refuse' ? dest : null)!;
      incoming.reply(refuse.status, { reason: refuse.reason });
      await call.finish({ disposition: 'failed', cause: refuse.cause, side: 'system' });
      return;
    }
    if (dest.kind === 'extension') {
      const contacts = this.router.contacts(dest.extension.number);
      if (contacts.length === 0) {
        incoming.reply(480, { reason: 'Not Registered' });
        await call.finish({ disposition: 'unanswered', cause: 'not_registered', side: 'system' });
        return;
      }
      const from = await this.presentTo(dest.extension, callerNumber, 'anonymous');
      const to = `<sip:${dest.extension.number}@${this.o.stack.host}>`;
      await call.runInbound(incoming, contacts.map(contactTarget), from, to, [callIdHeader(call.uuid)]);
      return;
    }
    const trunk = this.router.trunk();
    const target = trunk ? trunkTarget(trunk, dest.number) : null;
    if (!trunk || !target) {
      incoming.reply(503, { reason: 'No Trunk Available' });
      await call.finish({ disposition: 'failed', cause: 'no_trunk', side: 'system' });
      return;
    }
    const { from, headers } = this.presentToCarrier(
      trunk,
      source.kind === 'extension' ? source.extension : null,
    );
    await call.runInbound(incoming, [target], from, `<${target.uri}>`, headers);
  }

  /**
   * Caller ID toward the carrier: From and P-Asserted-Identity (RFC 3325 §9.1) carry the trunk's
   * number; carriers screen the PAI against the numbers they gave us.
   */
  presentToCarrier(trunk: TrunkRoute, ext: ExtensionInfo | null) {
    const number = trunk.callerId ?? ext?.number ?? 'anonymous';
    return carrierCallerId(
      this.o.stack,
      number,
      trunk.callerId ? undefined : (ext?.displayName ?? undefined),
    );
  }

  /**
   * Click-to-dial for an agent with a SIP extension: rings the desk phone, then dials
   * `number` (E.164) through the trunk when it answers. Resolves once the call is placed (the
   * agent's phone is ringing), with its ID.
   */
  async clickToDial(userId: number, number: string): Promise<B2buaCall> {
    const ext = await this.o.db
      .selectFrom('extensions')
      .select('number')
      .where('user_id', '=', userId)
      .orderBy('id')
      .executeTakeFirst();
    const info = ext ? await this.router.extension(ext.number) : null;
    if (!info) throw new CallError(409, 'no_extension', 'You have no extension to call from');
    if (info.type !== 'sip')
      throw new CallError(409, 'web_extension', 'Your extension is a web extension: dial from the softphone');
    const contacts = this.router.contacts(info.number);
    if (contacts.length === 0)
      throw new CallError(409, 'not_registered', 'Your desk phone is not registered');
    const e164 = this.router.e164(number);
    if (!e164) throw new CallError(400, 'invalid_number', 'Not a valid phone number');
    const call = await B2buaCall.create(this.ctx, {
      type: 'manual',
      direction: 'outbound',
      caller: new Party('agent', info.number, info),
      callee: new Party('customer', e164),
      customerNumber: e164,
      callerNumber: info.number,
      calledNumber: e164,
    });
    this.track(call);
    const agentFrom = await this.presentTo(info, e164, 'anonymous');
    void call
      .runClickToDial(
        contacts.map(contactTarget),
        agentFrom,
        `<sip:${info.number}@${this.o.stack.host}>`,
        () => {
          const trunk = this.router.trunk();
          const target = trunk ? trunkTarget(trunk, e164) : null;
          if (!trunk || !target) return null;
          const { from, headers } = this.presentToCarrier(trunk, info);
          return { targets: [target], from, to: `<${target.uri}>`, headers };
        },
      )
      .catch(async (err) => {
        this.o.logger.error({ err, call: call.uuid }, 'click-to-dial failed');
        await call.finish({ disposition: 'failed', cause: 'internal_error', side: 'system' });
      });
    return call;
  }

  /** An agent hangs up their own call (API). */
  async hangup(uuid: string, userId: number): Promise<boolean> {
    const call = this.calls.get(uuid);
    const party = call?.agents.find((p) => p.userId === userId);
    if (!call || !party) return false;
    // In a consult or a conference only this party leaves; the others go on.
    if (this.control?.hangupParty(call, party)) return true;
    await call.hangup('agent', 'agent_hangup');
    return true;
  }

  /** Ends every call (shutdown): each gets its BYE and a closed CDR. */
  async stop(): Promise<void> {
    await Promise.all([...this.calls.values()].map((c) => c.hangup('system', 'shutdown')));
  }
}

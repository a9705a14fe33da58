import type { EventEmitter } from 'node:events';
import type { MediaPlane, PlaneLeg } from '@switchboard/media';
import type { Connection, SessionDialog, SipStack } from '@switchboard/sip';
import type { Logger } from '../../observability/logger';
import type { LocationService, RegisteredContact } from '../contracts';
import type { B2buaCall, Party } from './b2bua-call';
import type { CallEngine } from './call-engine';
import { callIdHeader, contactTarget } from './dial-targets';
import { type DialOutcome, InviteFork } from './invite-fork';

/** On the INVITE that gives a web agent back a call it lost: the call's UUID (the softphone answers it). */
export const RECONNECT_HEADER = 'X-Switchboard-Reconnect';
/** Milliseconds since the call was answered, so the call bar's timer goes on where it was. */
export const CONNECTED_FOR_HEADER = 'X-Switchboard-Connected-For';

/** No RTP from the agent for this long after its connection dropped: the page (or the network) is gone. */
const MEDIA_SILENCE_MS = 1000;
const PROBE_MS = 250;
/** How long the reloaded page may take to answer the reconnect INVITE (it auto-answers). */
const RECONNECT_RING_MS = 15_000;
const RETRY_MS = 2000;

export interface AgentReconnectOptions {
  engine: CallEngine;
  stack: SipStack;
  media: MediaPlane;
  location: LocationService;
  logger: Logger;
  /** How long the customer waits on hold music for the agent (0: the call ends at once). */
  graceMs: number;
}

interface Lost {
  since: number;
  grace: NodeJS.Timeout;
  probe: NodeJS.Timeout | null;
  retry: NodeJS.Timeout | null;
  /** The agent's RTP stopped too (page reloaded, ICE failed): the customer is on hold music. */
  mediaLost: boolean;
  fork: InviteFork | null;
  /** recover() is asking the media plane whether the agent's RTP still flows. */
  checking?: boolean;
}

/** One web agent in one connected call. */
interface Watch {
  call: B2buaCall;
  agent: Party;
  answeredAt: number;
  lost: Lost | null;
  /** When the agent's leg last received RTP, as seen by the probe. */
  lastRx: { count: number; at: number };
}

function userAtHost(uri: string): string {
  const m = /^sips?:([^;?>]+)/i.exec(uri.replace(/^<|>$/g, ''));
  return (m?.[1] ?? uri).toLowerCase();
}

/**
 * Keeps a call when a web agent's side of it is lost without a BYE (docs/agent-desk.md, "Resilience"):
 *
 * - The agent's WebSocket closes (page reload, network blip). The dialog can only be reached over
 *   that connection (RFC 7118 §5: the Contact is `….invalid`), so nothing can be sent to the agent
 *   until it registers again. If its RTP stops too (the page is gone) the customer is parked on
 *   hold music; if the media path survived (only signalling dropped), the call goes on untouched.
 * - The agent's WebRTC leg fails (ICE/DTLS, via `CallContext.agentLost`): parked the same way.
 *
 * When the extension registers again within the grace period: the same sip.js UserAgent (same
 * Contact) with live media → the dialog is rebound to the new connection (RFC 5626 §5.3: requests
 * to a flow-bound contact go over its current flow); otherwise the switch sends a new INVITE with
 * `X-Switchboard-Reconnect: <call uuid>`, the softphone answers it by itself, and the customer is
 * bridged to the new leg (the recording goes on in the same file). Grace over → the call ends with
 * cause `agent_lost`. A BYE from the agent still ends the call at once (b2bua-call.ts).
 */
export class AgentReconnect {
  private readonly watches = new Map<B2buaCall, Watch[]>();
  private readonly watchedConnections = new WeakSet<Connection>();
  /**
   * Calls that ended (the customer hung up) while the agent's WebSocket was down: the BYE could not
   * reach the page, so it goes again if the same UserAgent registers within the grace period.
   */
  private readonly orphans = new Map<string, SessionDialog[]>();

  constructor(private readonly o: AgentReconnectOptions) {}

  install(): void {
    this.o.engine.context.agentLost = (call, p, leg) => this.legLost(call, p, leg);
    this.o.engine.onCallAnswered((call) => this.track(call));
    this.o.engine.onCallEnded((call) => this.forget(call));
    this.o.location.onChange((c) => {
      if (c.registered) this.registered(c.extension);
    });
  }

  /** Calls waiting for an agent to come back (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const list of this.watches.values()) for (const w of list) if (w.lost) n++;
    return n;
  }

  private track(call: B2buaCall): void {
    for (const p of [call.caller, call.callee]) {
      if (p.role !== 'agent' || p.extension?.type !== 'web' || !p.dialog) continue;
      const list = this.watches.get(call) ?? [];
      if (list.some((w) => w.agent === p)) continue;
      const w: Watch = {
        call,
        agent: p,
        answeredAt: Date.now(),
        lost: null,
        lastRx: { count: -1, at: Date.now() },
      };
      list.push(w);
      this.watches.set(call, list);
      this.watchConnection(p.dialog.flow?.connection);
    }
  }

  private watchOf(call: B2buaCall, p: Party): Watch | undefined {
    return this.watches.get(call)?.find((w) => w.agent === p);
  }

  private forget(call: B2buaCall): void {
    for (const w of this.watches.get(call) ?? []) {
      const d = w.agent.dialog;
      const ext = w.agent.extension?.number;
      if (w.lost && d && ext && (!d.flow?.connection || d.flow.connection.closed)) {
        const list = this.orphans.get(ext) ?? [];
        list.push(d);
        this.orphans.set(ext, list);
        setTimeout(() => {
          const left = this.orphans.get(ext)?.filter((x) => x !== d) ?? [];
          if (left.length > 0) this.orphans.set(ext, left);
          else this.orphans.delete(ext);
        }, this.o.graceMs).unref();
      }
      this.clearLost(w);
    }
    this.watches.delete(call);
  }

  /** The page whose call ended while it was unreachable is back: it gets its BYE now (§15.1.1). */
  private byeOrphans(extension: string): void {
    const dialogs = this.orphans.get(extension);
    if (!dialogs) return;
    this.orphans.delete(extension);
    const contacts = this.o.location.lookup(extension);
    for (const d of dialogs) {
      const target = userAtHost(d.remoteTarget.toString());
      const contact = contacts.find((c) => userAtHost(c.uri) === target);
      if (!contact) continue;
      d.flow = contact.flow;
      void d.request('BYE').catch(() => {});
    }
  }

  /**
   * The Connection interface has no close event (see NOTES.md): the socket underneath is watched,
   * once per connection, and every agent whose dialog runs on it is checked.
   */
  private watchConnection(connection: Connection | undefined): void {
    if (!connection || this.watchedConnections.has(connection)) return;
    this.watchedConnections.add(connection);
    const socket = (connection as unknown as { socket?: EventEmitter }).socket;
    if (!socket || typeof socket.once !== 'function') return;
    socket.once('close', () => {
      for (const list of this.watches.values())
        for (const w of list) if (w.agent.dialog?.flow?.connection === connection) this.signallingLost(w);
    });
  }

  /** The call is up and this agent is still one of its two parties (not transferred away). */
  private live(w: Watch): boolean {
    const { call, agent } = w;
    return (
      !call.finished &&
      call.state === 'connected' &&
      this.watches.has(call) &&
      (agent === call.caller || agent === call.callee) &&
      agent.dialog?.state !== 'terminated'
    );
  }

  private signallingLost(w: Watch): void {
    if (!this.live(w)) return;
    this.o.logger.info({ call: w.call.uuid, extension: w.agent.number }, 'agent connection lost mid-call');
    const lost = this.beginLost(w);
    if (!lost || lost.mediaLost || lost.probe) return;
    this.sampleRx(w, w.agent.leg);
    lost.probe = setInterval(() => void this.probe(w), PROBE_MS);
    lost.probe.unref();
  }

  /** Is the agent's RTP still arriving? (A reloaded page stops it at once; a WebSocket blip does not.) */
  private async mediaAlive(w: Watch): Promise<boolean> {
    const leg = w.agent.leg;
    if (!leg || leg.closed) return false;
    const count = await receivedPackets(leg);
    const now = Date.now();
    if (count !== w.lastRx.count) w.lastRx = { count, at: now };
    return now - w.lastRx.at < MEDIA_SILENCE_MS;
  }

  private async probe(w: Watch): Promise<void> {
    if (!w.lost || w.lost.mediaLost) return;
    if (!(await this.mediaAlive(w)) && w.lost && !w.lost.mediaLost) this.mediaLost(w);
  }

  /** The packet count the probes compare against, as of now. */
  private sampleRx(w: Watch, leg: PlaneLeg | null): void {
    const at = Date.now();
    w.lastRx = { count: -1, at };
    if (leg) void receivedPackets(leg).then((count) => (w.lastRx = { count, at }));
  }

  /** From b2bua-call.ts: the agent's leg closed (ICE failed) or went silent. true = handled here. */
  private legLost(call: B2buaCall, p: Party, leg: PlaneLeg): boolean {
    if (p.leg !== leg) return true; // a leg this module already replaced
    if (p.role !== 'agent' || p.extension?.type !== 'web' || call.state !== 'connected') return false;
    if (p !== call.caller && p !== call.callee) return false;
    if (!this.watchOf(call, p)) this.track(call);
    const w = this.watchOf(call, p);
    if (!w || !this.beginLost(w)) return false;
    this.o.logger.info({ call: call.uuid, extension: p.number }, 'agent media lost mid-call');
    this.mediaLost(w);
    // The WebSocket may still be up (ICE failed on its own): the agent can be called back now.
    void this.recover(w);
    return true;
  }

  private beginLost(w: Watch): Lost | null {
    if (w.lost) return w.lost;
    if (this.o.graceMs <= 0) {
      void w.call.hangup('agent', 'agent_lost');
      return null;
    }
    const grace = setTimeout(() => this.expire(w), this.o.graceMs);
    grace.unref();
    w.lost = { since: Date.now(), grace, probe: null, retry: null, mediaLost: false, fork: null };
    return w.lost;
  }

  private mediaLost(w: Watch): void {
    const lost = w.lost;
    if (!lost || lost.mediaLost || !this.live(w)) return;
    lost.mediaLost = true;
    if (lost.probe) clearInterval(lost.probe);
    lost.probe = null;
    const other = w.call.other(w.agent).leg;
    if (other && w.call.media) w.call.media.park(other);
    this.o.logger.info({ call: w.call.uuid }, 'customer on hold music while the agent comes back');
  }

  private clearLost(w: Watch): void {
    const lost = w.lost;
    if (!lost) return;
    clearTimeout(lost.grace);
    if (lost.probe) clearInterval(lost.probe);
    if (lost.retry) clearTimeout(lost.retry);
    lost.fork?.cancel();
    w.lost = null;
  }

  private expire(w: Watch): void {
    if (!w.lost || !this.live(w)) return;
    this.o.logger.info(
      { call: w.call.uuid, extension: w.agent.number },
      'agent did not come back: call ends',
    );
    this.clearLost(w);
    // A dialog that only a closed connection reaches cannot get a BYE; it just ends here.
    const d = w.agent.dialog;
    if (d && unreachable(d)) endLocally(d, 'agent lost');
    void w.call.hangup('agent', 'agent_lost');
  }

  private registered(extension: string): void {
    this.byeOrphans(extension);
    for (const list of this.watches.values())
      for (const w of list) if (w.lost && w.agent.extension?.number === extension) void this.recover(w);
  }

  /** The agent is registered again (or still): rebind the dialog, or call the agent back. */
  private async recover(w: Watch): Promise<void> {
    const lost = w.lost;
    if (!lost || lost.fork || lost.checking || !this.live(w)) return;
    const ext = w.agent.extension?.number;
    const dialog = w.agent.dialog;
    if (!ext || !dialog) return;
    const contacts = this.o.location.lookup(ext);
    if (contacts.length === 0) return;
    const target = userAtHost(dialog.remoteTarget.toString());
    const sameUa = contacts.find((c) => userAtHost(c.uri) === target) ?? null;
    let alive = false;
    if (sameUa && !lost.mediaLost) {
      lost.checking = true;
      alive = await this.mediaAlive(w).finally(() => (lost.checking = false));
      if (w.lost !== lost || lost.fork || !this.live(w)) return;
    }
    if (sameUa && !lost.mediaLost && alive) {
      // Only the WebSocket dropped and sip.js kept its session: in-dialog requests now go over the
      // new connection (requests from the agent already arrive on it and are matched by dialog ID).
      dialog.flow = sameUa.flow;
      this.watchConnection(sameUa.flow.connection);
      this.clearLost(w);
      this.o.logger.info(
        { call: w.call.uuid, extension: ext },
        'agent signalling restored on a new connection',
      );
      return;
    }
    if (sameUa && !lost.mediaLost) this.mediaLost(w);
    void this.callBack(w, sameUa ? [sameUa] : contacts, sameUa);
  }

  private async callBack(w: Watch, contacts: RegisteredContact[], sameUa: RegisteredContact | null) {
    const lost = w.lost;
    const ext = w.agent.extension;
    if (!lost || !ext) return;
    const { call, agent } = w;
    const headers: Array<[string, string]> = [
      [RECONNECT_HEADER, call.uuid],
      callIdHeader(call.uuid),
      [CONNECTED_FOR_HEADER, String(Date.now() - w.answeredAt)],
    ];
    if (call.queueName) headers.push(['X-Switchboard-Queue', call.queueName]);
    const fork = new InviteFork(this.o.stack, this.o.media, {
      targets: contacts.map(contactTarget),
      from: await this.o.engine.presentTo(ext, call.other(agent).number, 'anonymous'),
      to: `<sip:${ext.number}@${this.o.stack.host}>`,
      headers,
      timeoutMs: RECONNECT_RING_MS,
    });
    if (w.lost !== lost || !this.live(w)) return;
    lost.fork = fork;
    this.o.logger.info({ call: call.uuid, extension: ext.number }, 'calling the agent back');
    const outcome = await fork.start();
    if (lost.fork === fork) lost.fork = null;
    if (outcome.kind !== 'answered') {
      this.o.logger.info(
        { call: call.uuid, status: outcome.status, cause: outcome.cause },
        'agent call-back not answered',
      );
      if (w.lost === lost && outcome.cause !== 'cancelled') {
        lost.retry = setTimeout(() => {
          lost.retry = null;
          void this.recover(w);
        }, RETRY_MS);
        lost.retry.unref();
      }
      return;
    }
    if (w.lost !== lost || !this.live(w) || !call.media) {
      void outcome.dialog.bye().catch(() => {});
      outcome.leg.close();
      return;
    }
    this.rejoin(w, outcome, sameUa);
  }

  /** The agent's new dialog and leg take the place of the lost ones; the customer hears the agent again. */
  private rejoin(
    w: Watch,
    outcome: Extract<DialOutcome, { kind: 'answered' }>,
    sameUa: RegisteredContact | null,
  ): void {
    const { call, agent } = w;
    const media = call.media!;
    const oldDialog = agent.dialog;
    const oldLeg = agent.leg;
    if (oldLeg) {
      call.released.add(oldLeg);
      oldLeg.removeAllListeners('closed');
      oldLeg.removeAllListeners('inactive');
    }
    agent.dialog = outcome.dialog;
    agent.leg = outcome.leg;
    call.attach(agent);
    call.watchLeg(agent);
    const other = call.other(agent).leg;
    if (other) {
      media.relink(other, outcome.leg);
      if (media.recorder) {
        const recording = [call.caller, call.callee].find((p) => p.extension?.recording);
        media.followRecording((recording ? call.other(recording).leg : other) ?? other);
      }
    }
    if (oldLeg) {
      media.drop(oldLeg);
      oldLeg.close();
    }
    if (oldDialog && oldDialog.state !== 'terminated') {
      oldDialog.onRequest = undefined;
      oldDialog.onTerminated = undefined;
      if (sameUa) {
        // The same page kept its old session (its media had failed): end it over the new connection.
        oldDialog.flow = sameUa.flow;
        void oldDialog.bye().catch(() => {});
      } else endLocally(oldDialog, 'agent reconnected');
    }
    this.watchConnection(outcome.target.flow?.connection ?? outcome.dialog.flow?.connection);
    this.sampleRx(w, outcome.leg);
    const away = Date.now() - (w.lost?.since ?? Date.now());
    this.clearLost(w);
    this.o.logger.info(
      { call: call.uuid, extension: agent.number, awayMs: away },
      'agent reconnected to the call',
    );
  }
}

function unreachable(d: SessionDialog): boolean {
  return d.state !== 'terminated' && (!d.flow?.connection || d.flow.connection.closed);
}

function endLocally(d: SessionDialog, reason: string): void {
  d.onRequest = undefined;
  d.onTerminated = undefined;
  d.terminate(reason);
}

/** Packets received from the leg's peer so far (-1 when the leg is gone). */
async function receivedPackets(leg: PlaneLeg): Promise<number> {
  try {
    return (await leg.quality()).packetsReceived;
  } catch {
    return -1;
  }
}

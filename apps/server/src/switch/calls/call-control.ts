import type { ActiveCall, ConsultRequest, TransferTarget, TransferTargets } from '@switchboard/shared';
import type { IncomingRequest } from '@switchboard/sip';
import type { B2buaCall, CallControlHooks, Party } from './b2bua-call';
import type { CallEngine } from './call-engine';
import { AttendedTransfer } from './control/attended-transfer';
import { BlindTransfer } from './control/blind-transfer';
import {
  CallControlContext,
  type ChainStep,
  type ControlDeps,
  type Viewer,
} from './control/call-control-context';
import { ConsultTransfer } from './control/consult-transfer';
import { InCallControls } from './control/in-call-controls';
import { TransferTargetResolver } from './control/transfer-targets';
import type { QueueCalls } from './queue-calls';
import { ReferHandler } from './refer-handler';

export { CallControlError } from './call-control-error';
export type { ChainStep, Viewer } from './control/call-control-context';

/**
 * Agent call control: hold, mute, DTMF, blind transfer (with transfer recall), consult → complete /
 * conference / cancel, and SIP REFER from the agent's phone (docs/agent-desk.md). Works on the
 * engine's live B2buaCalls: the customer's party and media leg stay, the agent side is replaced.
 * Every step is written to `calls.transfer_chain` and `call_legs`, and published. Each action is
 * its own module under `control/`; this class is what the routes and the engine talk to.
 */
export class CallControl implements CallControlHooks {
  readonly refers: ReferHandler;
  private readonly ctx: CallControlContext;
  private readonly inCall: InCallControls;
  private readonly targets: TransferTargetResolver;
  private readonly transfer: BlindTransfer;
  private readonly consults: ConsultTransfer;
  private readonly attended: AttendedTransfer;

  constructor(deps: ControlDeps, engine: CallEngine, queueCalls: QueueCalls) {
    this.ctx = new CallControlContext(deps, engine, queueCalls);
    this.inCall = new InCallControls(this.ctx);
    this.targets = new TransferTargetResolver(this.ctx);
    this.transfer = new BlindTransfer(this.ctx, this.targets);
    this.consults = new ConsultTransfer(this.ctx, this.targets, this.transfer);
    this.attended = new AttendedTransfer(this.ctx);
    this.refers = new ReferHandler(this);
  }

  get engine(): CallEngine {
    return this.ctx.engine;
  }

  install(): void {
    const engine = this.ctx.engine;
    engine.control = this;
    engine.onCallAnswered((call) => {
      call.control = this;
      call.everAnswered = true;
      call.answeredAt ??= Date.now();
    });
    engine.onCallEnded((call) => {
      this.ctx.consults.delete(call.uuid);
      this.ctx.transferring.delete(call.uuid);
    });
  }

  /** The call and the agent party acting on it; anyone not in it (and not a supervisor) gets 404. */
  resolve(callId: string, viewer: Viewer): { call: B2buaCall; agent: Party } {
    return this.ctx.resolve(callId, viewer);
  }

  /** Whether the user is in the live call or their phone rings for it (a transfer to them). */
  involves(callId: string, userId: number): boolean {
    return this.ctx.involves(callId, userId);
  }

  hold(callId: string, viewer: Viewer, held: boolean): void {
    this.inCall.hold(callId, viewer, held);
  }

  mute(callId: string, viewer: Viewer, muted: boolean): void {
    this.inCall.mute(callId, viewer, muted);
  }

  dtmf(callId: string, viewer: Viewer, digits: string): Promise<void> {
    return this.inCall.dtmf(callId, viewer, digits);
  }

  current(viewer: Viewer): Promise<ActiveCall[]> {
    return this.inCall.current(viewer);
  }

  transferTargets(callId: string, viewer: Viewer): Promise<TransferTargets> {
    return this.targets.transferTargets(callId, viewer);
  }

  blindTransfer(
    callId: string,
    viewer: Viewer,
    to: TransferTarget,
    kind: 'blind' | 'refer' = 'blind',
  ): Promise<void> {
    return this.transfer.blindTransfer(callId, viewer, to, kind);
  }

  /** Sends the customer on (the agent is released at once); checks first, then acts. */
  transferParty(
    call: B2buaCall,
    agent: Party,
    to: TransferTarget,
    kind: 'blind' | 'refer',
    onOutcome?: (outcome: 'answered' | 'failed', status: number, reason: string) => void,
    beforeRelease?: () => Promise<void>,
  ): Promise<void> {
    return this.transfer.transferParty(call, agent, to, kind, onOutcome, beforeRelease);
  }

  consult(callId: string, viewer: Viewer, to: ConsultRequest['to']): Promise<void> {
    return this.consults.consult(callId, viewer, to);
  }

  consultComplete(callId: string, viewer: Viewer): Promise<void> {
    return this.consults.consultComplete(callId, viewer);
  }

  consultConference(callId: string, viewer: Viewer): Promise<void> {
    return this.consults.consultConference(callId, viewer);
  }

  consultCancel(callId: string, viewer: Viewer): Promise<void> {
    return this.consults.consultCancel(callId, viewer);
  }

  attendedByReplaces(
    call: B2buaCall,
    agent: Party,
    other: B2buaCall,
    otherAgent: Party,
    beforeRelease?: () => Promise<void>,
  ): Promise<void> {
    return this.attended.attendedByReplaces(call, agent, other, otherAgent, beforeRelease);
  }

  // ---- hooks from B2buaCall --------------------------------------------------------------------

  partyLeft(call: B2buaCall, p: Party, inc: IncomingRequest): boolean {
    return this.consults.leave(call, p, () => inc.reply(200));
  }

  /** A party hangs up through the API: in a consult or conference only that party leaves. */
  hangupParty(call: B2buaCall, p: Party): boolean {
    return this.consults.leave(call, p, null);
  }

  refer(call: B2buaCall, p: Party, inc: IncomingRequest): void {
    this.refers.handle(call, p, inc);
  }

  finishing(call: B2buaCall): void {
    this.consults.finishing(call);
  }

  /** Appends to calls.transfer_chain; this call's steps are written in the order they happened. */
  chain(call: B2buaCall, step: ChainStep): void {
    this.ctx.chain(call, step);
  }

  /** Resolves once the chain writes queued so far are done (tests, shutdown). */
  flush(callId: string): Promise<void> {
    return this.ctx.flush(callId);
  }
}

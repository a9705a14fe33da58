import type { MediaPlane, PlaneLeg } from '@switchboard/media';
import type {
  ClientCredentials,
  Flow,
  NameAddr,
  OutgoingInvite,
  SessionDialog,
  SipResponse,
  SipStack,
  TransportName,
} from '@switchboard/sip';
import { legForTransport } from './media-session';

/** One place to send the INVITE: a registered contact of an extension, or the carrier trunk. */
export interface DialTarget {
  uri: string;
  transport: TransportName;
  /** The registration's flow (WS/TCP contacts are reachable only over it, RFC 5626 §5.3). */
  flow?: Flow;
  credentials?: ClientCredentials | null;
  /** For call_legs.peer and logs. */
  label: string;
  /** Told this branch's final status (a CANCELled branch's is 487). */
  onFinal?(status: number): void;
}

export interface DialRequest {
  targets: DialTarget[];
  from: NameAddr;
  to: string;
  headers?: Array<[string, string]>;
  /** Ring timeout: no answer within this many ms → CANCEL everything (disposition unanswered). */
  timeoutMs: number;
  /** A provisional response from a branch; `leg` is that branch's media leg (early media). */
  onProgress?(response: SipResponse, leg: PlaneLeg): void;
  /**
   * Branches prepare their leg and offer at once but send their INVITE only once this resolves true
   * (the caller's own answer is ready); false abandons them. Lets both sides' SDP be made together.
   */
  ready?: Promise<boolean>;
  /** Each branch's INVITE has just been handed to the transport. */
  onInviteSent?(target: DialTarget): void;
}

export type DialOutcome =
  | { kind: 'answered'; dialog: SessionDialog; leg: PlaneLeg; target: DialTarget; response: SipResponse }
  | {
      kind: 'failed';
      status: number;
      reason: string;
      /** no_answer (ring timeout), cancelled (we gave up), or the SIP status of the best branch. */
      cause: 'no_answer' | 'cancelled' | 'response';
      response?: SipResponse;
    };

interface Branch {
  target: DialTarget;
  leg: PlaneLeg | null;
  invite: OutgoingInvite | null;
  result: SipResponse | null;
}

/** §16.7 step 6 style: 6xx beats everything, then busy, then other 4xx, 5xx, and timeouts last. */
function rank(status: number): number {
  if (status >= 600) return 0;
  if (status === 486) return 1;
  if (status === 487) return 6;
  if (status === 408) return 5;
  if (status >= 400 && status < 500) return 2;
  if (status >= 500) return 4;
  return 3;
}

/**
 * The UAC half of a B2BUA call: sends the INVITE to every target at once (parallel forking over an
 * extension's contacts), each with its own media leg and offer; the first 2xx wins, the others are
 * CANCELled (and a 2xx racing that CANCEL is ended with BYE, §9.1 / §15). Resolves exactly once.
 */
export class InviteFork {
  private readonly branches: Branch[] = [];
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  private resolve!: (o: DialOutcome) => void;
  readonly outcome: Promise<DialOutcome>;

  constructor(
    private readonly stack: SipStack,
    private readonly media: MediaPlane,
    private readonly req: DialRequest,
  ) {
    this.outcome = new Promise((r) => {
      this.resolve = r;
    });
  }

  start(): Promise<DialOutcome> {
    if (this.req.targets.length === 0) {
      this.finish({ kind: 'failed', status: 480, reason: 'Temporarily Unavailable', cause: 'response' });
      return this.outcome;
    }
    this.timer = setTimeout(() => this.giveUp('no_answer'), this.req.timeoutMs);
    for (const target of this.req.targets) {
      const branch: Branch = { target, leg: null, invite: null, result: null };
      this.branches.push(branch);
      void this.startBranch(branch).catch(() => {
        branch.result ??= this.stack.synthesize(
          this.stack.createRequest('INVITE', 'sip:invalid@invalid', { from: this.req.from }),
          500,
          'Server Internal Error',
        );
        this.branchDone();
      });
    }
    return this.outcome;
  }

  /** Stop ringing (caller hung up, ring timeout): CANCEL every branch. */
  cancel(): void {
    this.giveUp('cancelled');
  }

  private giveUp(cause: 'no_answer' | 'cancelled'): void {
    if (this.settled) return;
    for (const b of this.branches) b.invite?.cancel();
    this.finish(
      cause === 'no_answer'
        ? { kind: 'failed', status: 480, reason: 'No Answer', cause }
        : { kind: 'failed', status: 487, reason: 'Request Terminated', cause },
    );
  }

  private async startBranch(branch: Branch): Promise<void> {
    const { target } = branch;
    const leg = await legForTransport(this.media, target.transport);
    branch.leg = leg;
    if (this.settled) {
      leg.close();
      return;
    }
    const offer = await leg.createOffer();
    if (this.req.ready && !(await this.req.ready)) this.giveUp('cancelled');
    if (this.settled) {
      leg.close();
      return;
    }
    const request = this.stack.createRequest('INVITE', target.uri, {
      from: this.req.from,
      to: this.req.to,
      transport: target.transport,
      body: offer,
      contentType: 'application/sdp',
      headers: this.req.headers,
    });
    const invite = this.stack.invite(request, {
      flow: target.flow,
      credentials: target.credentials ?? undefined,
      onProgress: (res) => {
        if (!this.settled && res.status > 100) this.req.onProgress?.(res, leg);
      },
    });
    this.req.onInviteSent?.(target);
    branch.invite = invite;
    const { response, dialog } = await invite.done;
    branch.result = response;
    target.onFinal?.(response.status);
    if (response.status < 300 && dialog) {
      if (this.settled) {
        // A 2xx that raced our CANCEL, or a second branch answering: the session exists, end it.
        void dialog.bye().catch(() => {});
        leg.close();
        return;
      }
      try {
        if (response.body.length === 0) throw new Error('2xx without SDP answer');
        await leg.acceptAnswer(response.bodyText);
      } catch {
        void dialog.bye().catch(() => {});
        leg.close();
        branch.result = this.stack.synthesize(request, 488, 'Not Acceptable Here');
        this.branchDone();
        return;
      }
      if (this.settled) {
        void dialog.bye().catch(() => {});
        leg.close();
        return;
      }
      for (const other of this.branches) {
        if (other === branch) continue;
        other.invite?.cancel();
        other.leg?.close();
      }
      this.finish({ kind: 'answered', dialog, leg, target, response });
      return;
    }
    leg.close();
    this.branchDone();
  }

  private branchDone(): void {
    if (this.settled) return;
    if (this.branches.some((b) => b.result === null)) return;
    const best = [...this.branches].sort((x, y) => rank(x.result!.status) - rank(y.result!.status))[0]!;
    const res = best.result!;
    this.finish({ kind: 'failed', status: res.status, reason: res.reason, cause: 'response', response: res });
  }

  private finish(o: DialOutcome): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (o.kind === 'failed') for (const b of this.branches) b.leg?.close();
    this.resolve(o);
  }
}

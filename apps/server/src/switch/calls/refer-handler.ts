import type { TransferTarget } from '@switchboard/shared';
import { type IncomingRequest, parseNameAddr, parseReplaces, type SessionDialog } from '@switchboard/sip';
import type { B2buaCall, Party } from './b2bua-call';
import { CallControlError } from './call-control-error';
import type { CallEngine } from './call-engine';

/** What a REFER does, carried out by call control. */
export interface ReferActions {
  readonly engine: CallEngine;
  transferParty(
    call: B2buaCall,
    agent: Party,
    to: TransferTarget,
    kind: 'blind' | 'refer',
    onOutcome?: (outcome: 'answered' | 'failed', status: number, reason: string) => void,
    beforeRelease?: () => Promise<void>,
  ): Promise<void>;
  attendedByReplaces(
    call: B2buaCall,
    agent: Party,
    other: B2buaCall,
    otherAgent: Party,
    beforeRelease?: () => Promise<void>,
  ): Promise<void>;
}

/** A CallControlError as the sipfrag status the transferor sees in the final NOTIFY. */
function sipStatus(err: unknown): [number, string] {
  if (!(err instanceof CallControlError)) return [500, 'Server Internal Error'];
  switch (err.code) {
    case 'target_unavailable':
      return [480, 'Temporarily Unavailable'];
    case 'no_trunk':
      return [503, 'Service Unavailable'];
    case 'invalid_number':
      return [484, 'Address Incomplete'];
    default:
      return [403, 'Forbidden'];
  }
}

/**
 * SIP REFER from an agent's phone (RFC 3515) on its dialog with the switch. A blind REFER (Refer-To
 * an extension, a queue's number or an outside number) ends exactly like the API's blind transfer;
 * a REFER whose Refer-To carries Replaces (RFC 3891) naming the agent's other call through the
 * switch is an attended transfer: the customer is bridged to the party of that call.
 */
export class ReferHandler {
  constructor(private readonly control: ReferActions) {}

  handle(call: B2buaCall, p: Party, inc: IncomingRequest): void {
    const dialog = p.dialog;
    const referTo = parseNameAddr(inc.request.get('refer-to') ?? '');
    // RFC 3515 §2.4.1: exactly one Refer-To, else 400.
    if (!dialog || !referTo || inc.request.getAll('refer-to').length !== 1 || referTo.uri.type !== 'sip') {
      inc.reply(400, { reason: 'Bad Refer-To' });
      return;
    }
    if (p.role !== 'agent' || p.userId === null) {
      inc.reply(403, { reason: 'Only an agent may transfer' });
      return;
    }
    const uri = referTo.uri;
    let replacesValue: string | undefined;
    for (const [k, v] of uri.headers) if (k.toLowerCase() === 'replaces') replacesValue = v;
    const user = uri.user ?? '';
    if (!replacesValue && !user) {
      inc.reply(400, { reason: 'Refer-To Without User' });
      return;
    }
    // RFC 3515 §2.4.2: 202 first; the outcome follows in NOTIFYs (message/sipfrag, §2.4.5).
    inc.reply(202, { reason: 'Accepted' });
    const run = replacesValue
      ? this.attended(call, p, dialog, replacesValue)
      : this.blind(call, p, dialog, user);
    void run.catch(async (err) => {
      const [status, reason] = sipStatus(err);
      await this.notify(dialog, status, reason);
    });
  }

  private async notify(dialog: SessionDialog, status: number, reason: string): Promise<void> {
    if (dialog.state === 'terminated') return;
    await dialog.notifyReferProgress(status, reason).catch(() => {});
  }

  /** What a Refer-To user part names: an extension's user, a queue's number, else an outside number. */
  private async target(user: string): Promise<TransferTarget> {
    const engine = this.control.engine;
    const ext = await engine.router.extension(user);
    if (ext?.userId != null) return { kind: 'user', userId: ext.userId };
    const e164 = engine.router.e164(user);
    const db = engine.context.db;
    const route = await db
      .selectFrom('inbound_routes')
      .select(['target_type', 'target_id'])
      .where('number', 'in', [...new Set([user, ...(e164 ? [e164, e164.replace(/^\+/, '')] : [])])])
      .executeTakeFirst();
    if (route?.target_type === 'queue') return { kind: 'queue', queueId: Number(route.target_id) };
    if (route?.target_type === 'extension') {
      const routed = await engine.router.extension(route.target_id);
      if (routed?.userId != null) return { kind: 'user', userId: routed.userId };
    }
    return { kind: 'number', number: user };
  }

  private async blind(call: B2buaCall, p: Party, dialog: SessionDialog, user: string): Promise<void> {
    await this.notify(dialog, 100, 'Trying');
    const to = await this.target(user);
    // The transfer is taken over by the switch as the API's blind transfer is: the transferor's job
    // is done once we accept it, so the final NOTIFY goes before we end its dialog (RFC 5589 §6).
    await this.control.transferParty(call, p, to, 'refer', undefined, () => this.notify(dialog, 200, 'OK'));
  }

  private async attended(call: B2buaCall, p: Party, dialog: SessionDialog, value: string): Promise<void> {
    await this.notify(dialog, 100, 'Trying');
    const r = parseReplaces(value);
    // RFC 3891 §3: to-tag is the recipient's (our) local tag, from-tag the agent's.
    const replaced = r
      ? this.control.engine.context.stack.findDialog(r.callId, r.toTag, r.fromTag)
      : undefined;
    if (!replaced) {
      await this.notify(dialog, 481, 'Call/Transaction Does Not Exist');
      return;
    }
    let other: B2buaCall | undefined;
    let otherAgent: Party | undefined;
    for (const c of this.control.engine.calls.values()) {
      const party = [c.caller, c.callee].find((x) => x.dialog === replaced);
      if (party && c !== call) {
        other = c;
        otherAgent = party;
      }
    }
    if (!other || !otherAgent || otherAgent.userId !== p.userId) {
      await this.notify(dialog, 481, 'Call/Transaction Does Not Exist');
      return;
    }
    await this.control.attendedByReplaces(call, p, other, otherAgent, () => this.notify(dialog, 200, 'OK'));
  }
}
